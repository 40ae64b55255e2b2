/** The end of a long log, where a build or a git command says what went wrong. */
export function logTail(text: string, maxLines = 80, maxChars = 16_000): { tail: string; omittedLines: number } {
  const lines = text.replace(/\n$/, '').split('\n');
  let tail = lines.slice(-maxLines).join('\n');
  if (tail.length > maxChars) tail = tail.slice(-maxChars);
  const shown = tail.split('\n').length;
  return { tail, omittedLines: Math.max(0, lines.length - shown) };
}
