import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { discordPayload, messageText, newsEvents, signature, slackPayload, webhookPayload, type NewsEvent, type NewsState } from '../../lib/news.ts';

const state = (over: Partial<NewsState> = {}): NewsState => ({
  fingerprint: '',
  names: { 1: 'Ada', 2: 'Grace', 3: 'Linus' },
  medals: { '1/1': 'gold', '2/1': 'silver' },
  leader: 1,
  points: { 1: 4, 2: 3, 3: 0 },
  results: { '1/1': { status: 'correct', medianMs: 10, version: 'a1' }, '2/1': { status: 'correct', medianMs: 20, version: 'g1' } },
  best: { '1/1': 10, '2/1': 20 },
  broken: { 1: null, 2: null, 3: null },
  ...over,
});

describe('the news of a cycle', () => {
  it('nothing changed: no events, so no message', () => {
    expect(newsEvents(state(), state())).toEqual([]);
  });

  it('the same code run again and faster by chance is not a personal best', () => {
    const after = state({ results: { ...state().results, '2/1': { status: 'correct', medianMs: 15, version: 'g1' } } });
    expect(newsEvents(state(), after)).toEqual([]);
  });

  it('new code faster than every earlier result is a personal best; a new medal and a new leader are news', () => {
    const after = state({
      results: { ...state().results, '2/1': { status: 'correct', medianMs: 5, version: 'g2' } },
      medals: { '2/1': 'gold', '1/1': 'silver' },
      leader: 2,
      points: { 1: 3, 2: 4, 3: 0 },
    });
    const kinds = newsEvents(state(), after).map((e) => `${e.kind}:${e.participant}`);
    expect(kinds.sort()).toEqual(['leader:Grace', 'personal-best:Grace', 'podium:Grace']);
  });

  it('a day solved for the first time names its fastest solver; a day that broke and a build that broke are news', () => {
    const after = state({
      results: {
        '1/1': { status: 'wrong', medianMs: null, version: 'a2' },
        '2/1': state().results['2/1'],
        '2/2': { status: 'correct', medianMs: 8, version: 'g1' },
        '3/2': { status: 'correct', medianMs: 3, version: 'l1' },
      },
      broken: { 1: null, 2: null, 3: 'its image failed to build' },
    });
    const events = newsEvents(state(), after);
    expect(events).toEqual(expect.arrayContaining([
      { kind: 'first-solve', participantId: 3, participant: 'Linus', day: 2, medianMs: 3 },
      { kind: 'broke', participantId: 1, participant: 'Ada', day: 1, status: 'wrong' },
      { kind: 'build-broke', participantId: 3, participant: 'Linus', reason: 'its image failed to build' },
    ]));
    expect(events.filter((e) => e.kind === 'first-solve')).toHaveLength(1);
  });
});

describe('the messages', () => {
  const events: NewsEvent[] = [
    { kind: 'podium', participantId: 1, participant: '@everyone <!channel> *Ada*', day: 3, medal: 'gold', medianMs: 1.5 },
    { kind: 'leader', participantId: 1, participant: 'Grace', points: 12 },
  ];

  it("Discord: `content` within 2,000 characters, its markup escaped, no mentions", () => {
    const p = discordPayload('aocbench 2024', events) as { content: string; allowed_mentions: { parse: string[] } };
    expect(p.allowed_mentions).toEqual({ parse: [] });
    expect(p.content).toContain('\\*Ada\\* takes gold on day 3 (1.50 ms)');
    const many = Array.from({ length: 500 }, (_, i): NewsEvent => ({ kind: 'leader', participantId: i, participant: `P${i}`, points: i }));
    const long = (discordPayload('t', many) as { content: string }).content;
    expect(long.length).toBeLessThanOrEqual(2000);
    expect(long).toMatch(/…and \d+ more$/);
  });

  it('Slack: `text` with &, < and > escaped, so a name pings nobody', () => {
    const p = slackPayload('aocbench 2024', events) as { text: string };
    expect(p.text).toContain('&lt;!channel&gt;');
    expect(p.text).not.toContain('<!channel>');
    expect(messageText('aocbench 2024', events).split('\n')).toHaveLength(3);
  });

  it('the generic webhook: the events as data, signed with HMAC-SHA256 of the body', () => {
    const body = JSON.stringify(webhookPayload('aocbench 2024', events, 0));
    expect(JSON.parse(body)).toMatchObject({ title: 'aocbench 2024', events, at: '1970-01-01T00:00:00.000Z' });
    expect(signature(body, 'k')).toBe(`sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
  });
});
