import { describe, expect, it } from 'vitest';
import { peekHtml, putHtml } from '../../app/_lib/html-stash.ts';

describe('the markup stash between a page and its HTML render', () => {
  it('keeps every entry of concurrent renders (26 tables a page, many pages) and reads them as often as asked', () => {
    const ids = Array.from({ length: 500 }, (_, i) => putHtml(`<table>${i}</table>`, 1_000));
    expect(ids.every((id, i) => peekHtml(id) === `<table>${i}</table>`)).toBe(true);
    expect(peekHtml(ids[0])).toBe('<table>0</table>');
  });

  it('lets go of entries two minutes old, and of the oldest beyond 64 MB', () => {
    const old = putHtml('<p>old</p>', 10_000);
    putHtml('<p>new</p>', 10_000 + 121_000);
    expect(peekHtml(old)).toBeUndefined();
    const first = putHtml('x'.repeat(20 * 1024 * 1024), 200_000);
    const second = putHtml('y'.repeat(20 * 1024 * 1024), 200_000);
    expect(peekHtml(first)).toBeUndefined();
    expect(peekHtml(second)?.length).toBe(20 * 1024 * 1024);
  });
});
