/** The samples of a day in recorded order, as a small SVG: drift or a slow first run shows at a glance. */
export function Sparkline({ samples, width = 200, height = 30 }: { samples: number[]; width?: number; height?: number }) {
  if (samples.length < 2) return null;
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const span = max - min || 1;
  const pts = samples.map((s, i) => `${((i / (samples.length - 1)) * (width - 2) + 1).toFixed(1)},${(height - 1 - ((s - min) / span) * (height - 2)).toFixed(1)}`);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${samples.length} samples`} data-testid="sparkline">
      <polyline points={`1,${height} ${pts.join(' ')} ${width - 1},${height}`} fill="rgba(13,110,253,0.12)" stroke="none" />
      <polyline points={pts.join(' ')} fill="none" stroke="#0d6efd" strokeWidth="1.5" />
    </svg>
  );
}
