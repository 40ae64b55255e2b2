/** AoCBench placeholders: `%day% %zeroday% %dayzero% %year% %input%`; unknown `%foo%` stays as written. */
export interface PlaceholderValues {
  day: number;
  year: number | string;
  /** Container path of the input file; omitted where AoCBench does not offer `%input%`. */
  input?: string;
}

export function expand(template: string, v: PlaceholderValues): string {
  const zero = String(v.day).padStart(2, '0');
  const map: Record<string, string> = {
    '%day%': String(v.day),
    '%zeroday%': zero,
    '%dayzero%': zero,
    '%year%': String(v.year),
  };
  if (v.input !== undefined) map['%input%'] = v.input;
  return template.replace(/%(day|zeroday|dayzero|year|input)%/g, (m) => map[m] ?? m);
}
