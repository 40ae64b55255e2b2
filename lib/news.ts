/**
 * The board's news: what changed between two states of it (before and after
 * a cycle), as events, and the messages that carry them to Discord, Slack or a
 * generic JSON webhook. A cycle that changed nothing has no events, so no
 * message; re-running the same code is never a personal best.
 */
import { createHmac } from 'node:crypto';
import { formatTime } from './format.ts';
import type { Medal } from './ranking.ts';

/** What news is read from: the board as the site shows it without options, and each participant's state. */
export interface NewsState {
  /** What news reads, in brief (db/queries/news.ts newsFingerprint): a cycle after which it is the same has no news, and the board is not read again. */
  fingerprint: string;
  names: Record<number, string>;
  /** `pid/day` → medal, in podium mode. */
  medals: Record<string, Medal>;
  leader: number | null;
  points: Record<number, number>;
  /** `pid/day` → the current result. */
  results: Record<string, { status: string; medianMs: number | null; version: string }>;
  /** `pid/day` → the best correct median ever stored (current and previous results). */
  best: Record<string, number>;
  /** pid → the image or config failed. */
  broken: Record<number, string | null>;
}

export type NewsEvent =
  | { kind: 'podium'; participantId: number; participant: string; day: number; medal: Medal; medianMs: number | null }
  | { kind: 'leader'; participantId: number; participant: string; points: number }
  | { kind: 'personal-best'; participantId: number; participant: string; day: number; medianMs: number; previousMs: number }
  | { kind: 'first-solve'; participantId: number; participant: string; day: number; medianMs: number | null }
  | { kind: 'broke'; participantId: number; participant: string; day: number; status: string }
  | { kind: 'build-broke'; participantId: number; participant: string; reason: string };

/** Events that concern one participant's own code: to their own target where they have one. */
export const PERSONAL: ReadonlySet<NewsEvent['kind']> = new Set(['broke', 'build-broke']);

const MEDAL_ORDER: Medal[] = ['gold', 'silver', 'bronze'];

export function newsEvents(before: NewsState, after: NewsState): NewsEvent[] {
  const out: NewsEvent[] = [];
  const name = (id: number) => after.names[id] ?? before.names[id] ?? `#${id}`;
  const split = (k: string) => k.split('/').map(Number) as [number, number];
  const solvedBefore = new Set(Object.entries(before.results).filter(([, r]) => r.status === 'correct').map(([k]) => split(k)[1]));
  const firstSolved = new Set<number>();
  for (const [k, r] of Object.entries(after.results)) {
    const [pid, day] = split(k);
    const was = before.results[k];
    if (r.status === 'correct' && !solvedBefore.has(day) && !firstSolved.has(day)) {
      // The fastest of those who solved it in this cycle is named.
      const solvers = Object.entries(after.results).filter(([k2, x]) => split(k2)[1] === day && x.status === 'correct');
      const [fk, fr] = solvers.sort((a, b) => (a[1].medianMs ?? Infinity) - (b[1].medianMs ?? Infinity))[0];
      firstSolved.add(day);
      out.push({ kind: 'first-solve', participantId: split(fk)[0], participant: name(split(fk)[0]), day, medianMs: fr.medianMs });
    }
    if (was?.status === 'correct' && r.status !== 'correct' && r.status !== 'unchecked') out.push({ kind: 'broke', participantId: pid, participant: name(pid), day, status: r.status });
    // A personal best: new code, correct, faster than any earlier correct result of the day.
    const prev = before.best[k];
    if (r.status === 'correct' && r.medianMs !== null && was && was.version !== r.version && prev !== undefined && r.medianMs < prev) {
      out.push({ kind: 'personal-best', participantId: pid, participant: name(pid), day, medianMs: r.medianMs, previousMs: prev });
    }
  }
  for (const [k, medal] of Object.entries(after.medals)) {
    const old = before.medals[k];
    if (old && MEDAL_ORDER.indexOf(old) <= MEDAL_ORDER.indexOf(medal)) continue;
    const [pid, day] = split(k);
    out.push({ kind: 'podium', participantId: pid, participant: name(pid), day, medal, medianMs: after.results[k]?.medianMs ?? null });
  }
  if (after.leader !== null && after.leader !== before.leader && (after.points[after.leader] ?? 0) > 0) {
    out.push({ kind: 'leader', participantId: after.leader, participant: name(after.leader), points: after.points[after.leader] ?? 0 });
  }
  for (const [id, reason] of Object.entries(after.broken)) {
    if (reason && !before.broken[Number(id)]) out.push({ kind: 'build-broke', participantId: Number(id), participant: name(Number(id)), reason });
  }
  return out;
}

/** Times as the board shows them by default. */
const ms = (x: number | null) => (x === null ? '' : formatTime(x, 'ms'));

/** One line per event, plain text (escaped by each target's format). */
export function eventLine(e: NewsEvent): string {
  switch (e.kind) {
    case 'podium':
      return `${e.participant} takes ${e.medal} on day ${e.day}${e.medianMs !== null ? ` (${ms(e.medianMs)})` : ''}`;
    case 'leader':
      return `${e.participant} leads the board (${e.points} points)`;
    case 'personal-best':
      return `${e.participant}: a personal best on day ${e.day}, ${ms(e.medianMs)} (was ${ms(e.previousMs)})`;
    case 'first-solve':
      return `Day ${e.day} solved for the first time, by ${e.participant}${e.medianMs !== null ? ` (${ms(e.medianMs)})` : ''}`;
    case 'broke':
      return `${e.participant}: day ${e.day} was correct and is now ${e.status}`;
    case 'build-broke':
      return `${e.participant}: ${e.reason}`;
  }
}

/** Discord allows 2,000 characters a message; Slack's text is cut long before 40,000. */
const MAX_TEXT = 1900;

export function messageText(title: string, events: NewsEvent[]): string {
  const lines: string[] = [];
  let size = title.length;
  for (const [i, e] of events.entries()) {
    const line = `• ${eventLine(e)}`;
    if (size + line.length + 40 > MAX_TEXT) {
      lines.push(`…and ${events.length - i} more`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return [title, ...lines].join('\n');
}

/** Discord's formatting characters, shown as themselves in names (`_`, `*`, …); @mentions are switched off separately. */
const discordEscape = (s: string) => s.replace(/([\\*_~`|>#-])/g, '\\$1');

/** Discord incoming webhook: `content`, no mentions (a name like "@everyone" pings nobody). */
export function discordPayload(title: string, events: NewsEvent[]): object {
  return { content: messageText(discordEscape(title), events.map((e) => ({ ...e, participant: discordEscape(e.participant) }) as NewsEvent)), allowed_mentions: { parse: [] } };
}

/** Slack incoming webhook: `text`, with &, < and > escaped as Slack asks (else `<!channel>` in a name would ping). */
export function slackPayload(title: string, events: NewsEvent[]): object {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { text: esc(messageText(title, events)) };
}

/** The generic webhook: the events as data, and the same text. */
export function webhookPayload(title: string, events: NewsEvent[], at: number): object {
  return { title, text: messageText(title, events), events, at: new Date(at).toISOString() };
}

/** `sha256=<hex>` of the body: what the receiver recomputes with the shared secret. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
