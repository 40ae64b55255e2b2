/** Advent of Code ran 25 days until 2024 and 12 from 2025 on. */
export function defaultDayCount(year: number): number {
  return year >= 2025 ? 12 : 25;
}
