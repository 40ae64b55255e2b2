/** Advent of Code ran 25 days until 2024 and 12 from 2025 on. */
export function defaultDayCount(year: number): number {
  return year >= 2025 ? 12 : 25;
}

export function dayList(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
