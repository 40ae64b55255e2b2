/** Validation of a custom input submission; every rejection has an HTTP status and a message. */
export interface Submission {
  day: unknown;
  name: unknown;
  input: unknown;
  part1?: unknown;
  part2?: unknown;
}

export type Checked =
  | { ok: true; value: { day: number; name: string; input: string; part1: string | null; part2: string | null } }
  | { ok: false; status: 400 | 409 | 413 | 415; error: string };

export const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

const optional = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function checkSubmission(s: Submission, limits: { days: number; maxBytes: number; taken: (day: number, name: string) => boolean }): Checked {
  const day = typeof s.day === 'number' ? s.day : Number(String(s.day ?? '').trim());
  if (!Number.isInteger(day) || day < 1 || day > limits.days) return { ok: false, status: 400, error: `day must be a whole number from 1 to ${limits.days}` };
  const name = typeof s.name === 'string' ? s.name.trim() : '';
  if (!NAME_RULE.test(name)) return { ok: false, status: 400, error: 'name must be 1–40 letters, digits, "-" or "_", starting with a letter or digit' };
  if (typeof s.input !== 'string' || s.input.trim() === '') return { ok: false, status: 400, error: 'input is missing or empty' };
  const bytes = Buffer.byteLength(s.input, 'utf8');
  if (bytes > limits.maxBytes) return { ok: false, status: 413, error: `input is ${bytes} bytes; the limit is ${limits.maxBytes}` };
  // Text only: a NUL or a replacement character means binary data or invalid UTF-8.
  if (/[\u0000\uFFFD]/.test(s.input)) return { ok: false, status: 415, error: 'input must be UTF-8 text' };
  const part1 = optional(s.part1);
  const part2 = optional(s.part2);
  for (const p of [part1, part2]) {
    if (p !== null && (p.length > 200 || /[\r\n]/.test(p))) return { ok: false, status: 400, error: 'an answer must be one line of at most 200 characters' };
  }
  if (limits.taken(day, name)) return { ok: false, status: 409, error: `day ${day} already has a custom input named "${name}"` };
  return { ok: true, value: { day, name, input: s.input, part1, part2 } };
}
