import { describe, expect, it } from 'vitest';
import { cacheKey, PageCache } from '../../app/_server/page-cache.ts';

describe('the page cache', () => {
  it('keys a page by the parameters views read: the board with or without unknown parameters is one entry, an RSC request another', () => {
    const board = cacheKey('GET', '/', {});
    expect(board).not.toBeNull();
    expect(cacheKey('GET', '/?utm_source=x&fbclid=1', {})).toBe(board);
    expect(cacheKey('GET', '/?', {})).toBe(board);
    expect(cacheKey('GET', '/', { rsc: '1' })).not.toBe(board);
    expect(cacheKey('GET', '/?page=2', {})).not.toBe(board);
    expect(cacheKey('GET', '/?unit=us&method=min', {})).toBe(cacheKey('GET', '/?method=min&unit=us', {}));
    expect(cacheKey('POST', '/', {})).toBeNull();
    expect(cacheKey('GET', '/admin', {})).toBeNull();
  });

  it("keeps each season's pages and API answers apart", () => {
    expect(cacheKey('GET', '/2023', {})).not.toBe(cacheKey('GET', '/', {}));
    expect(cacheKey('GET', '/2023/rankings', {})).not.toBeNull();
    expect(cacheKey('GET', '/2023/participants/Ada', {})).not.toBe(cacheKey('GET', '/participants/Ada', {}));
    expect(cacheKey('GET', '/seasons/Ada', {})).not.toBeNull();
    // `?season=` chooses an API answer's season: never dropped as junk.
    expect(cacheKey('GET', '/api/days/1?season=2023', {})).not.toBe(cacheKey('GET', '/api/days/1', {}));
    expect(cacheKey('GET', '/api/cell?p=1&d=1&season=2023', {})).not.toBe(cacheKey('GET', '/api/cell?p=1&d=1', {}));
    expect(cacheKey('GET', '/2023/matrix/submit', {})).toBeNull();
  });

  it('drops every entry when the content version moves', () => {
    const c = new PageCache();
    c.sync(1);
    c.put('k', 1, 200, {}, Buffer.from('x'.repeat(2000)));
    expect(c.get('k')?.gzip?.length).toBeGreaterThan(0);
    c.sync(2);
    expect(c.get('k')).toBeNull();
  });
});
