/**
 * The samples of a day in recorded order, as a small SVG string (for tables
 * sent as markup, app/_components/RawHtml.tsx): drift or a slow first run
 * shows at a glance. Whole-pixel x, one decimal y.
 */
export function sparklineSvg(samples: number[], width = 200, height = 30): string {
  if (samples.length < 2) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const span = max - min || 1;
  const pts = samples.map((s, i) => `${Math.round((i / (samples.length - 1)) * (width - 2) + 1)},${(height - 1 - ((s - min) / span) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    `<svg width='${width}' height='${height}' viewBox='0 0 ${width} ${height}' role='img' aria-label='${samples.length} samples' data-testid='sparkline'>` +
    `<polyline points='1,${height} ${pts} ${width - 1},${height}' fill='rgba(13,110,253,0.12)' stroke='none'/><polyline points='${pts}' fill='none' stroke='#0d6efd' stroke-width='1.5'/></svg>`
  );
}
