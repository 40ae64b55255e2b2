/**
 * Text a participant controls (file names, config keys, error messages, a
 * solution's output) reaches the operator's terminal and the stored health
 * and results. A terminal obeys control characters: ESC and the C1 CSI start
 * sequences that erase the screen, move the cursor or write the clipboard
 * (OSC 52), a lone CR overwrites a line, and the bidi overrides (U+202E...)
 * reorder what is read. Every such character is shown as a `\uXXXX` escape
 * instead: visible, and the same notation JSON uses, so JSON stays valid.
 */

/** C0 (but \t and \n), DEL, C1, and the Unicode bidi embedding, override, isolate and mark characters. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** A CR just before a LF moves nothing a reader sees: Windows line ends stay as they are. */
const CRLF = /\r(?=\n)/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escape = (c: string): string => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A multi-line block (an output, a log): control characters visible, line breaks and tabs kept. */
export function printable(s: string): string {
  return s.replace(UNSAFE, (c, at: number) => (c === '\r' && s[at + 1] === '\n' ? c : escape(c)));
}

/** One line (a table cell, a progress line): line breaks and tabs visible as well. */
export function printableLine(s: string): string {
  return s.replace(CRLF, '').replace(UNSAFE_OR_LINE, escape);
}

/** The same for what may be null: stored columns. */
export function printableOrNull<T extends string | null | undefined>(s: T): T {
  return (typeof s === 'string' ? printable(s) : s) as T;
}
