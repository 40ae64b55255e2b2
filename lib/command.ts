/**
 * Decides whether a participant command needs a shell, and splits it into argv
 * when it does not, so that a simple command costs one exec and no shell start.
 */
const SHELL_SYNTAX = /[$`|&;<>(){}*?[\]~#!\n\\]|^\s*\w+=/;

export type CommandSpec = { mode: 'direct'; argv: string[] } | { mode: 'sh'; argv: [string] };

export function needsShell(cmd: string): boolean {
  return SHELL_SYNTAX.test(cmd) || /(^|\s)(cd|export|source|\.|exec)(\s|$)/.test(cmd);
}

export function splitWords(cmd: string): string[] | null {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of cmd) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(cur);
  return words;
}

export function toCommandSpec(cmd: string, forceShell = false): CommandSpec {
  if (!forceShell && !needsShell(cmd)) {
    const argv = splitWords(cmd);
    if (argv && argv.length > 0) return { mode: 'direct', argv };
  }
  return { mode: 'sh', argv: [cmd] };
}
