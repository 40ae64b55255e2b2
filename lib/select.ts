/** `-p`/`-d` filters are anchored like AoCBench's (`^…$`). */
export function anchored(re?: string): RegExp | null {
  return re ? new RegExp(`^(?:${re})$`, 'i') : null;
}
