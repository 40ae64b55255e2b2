/**
 * The layers of docs (README, "Architecture"): app/ never imports runner/, lib/ and db/ import neither, and no
 * module imports itself through others. Read from the sources' import statements (relative ones only: packages
 * are outside the graph), so a new cycle or a wrong-way import fails here, naming it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LAYERS = ['app', 'lib', 'db', 'runner'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names: as written, or with .ts/.tsx/index added. */
function target(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const f of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return null;
}

function graph(): Map<string, string[]> {
  const files = LAYERS.flatMap((l) => sources(join(ROOT, l)));
  const g = new Map<string, string[]>();
  // import … from '…', export … from '…', import '…' and import('…'); type-only imports count too: they tie layers.
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(re)].map((m) => target(f, m[1])).filter((t): t is string => !!t);
    g.set(relative(ROOT, f), [...new Set(deps.map((d) => relative(ROOT, d)))]);
  }
  return g;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the import graph', () => {
  const g = graph();

  it('reads the sources (a graph of every layer)', () => {
    for (const l of LAYERS) expect([...g.keys()].some((f) => f.startsWith(`${l}/`)), l).toBe(true);
    expect([...g.values()].flat().length).toBeGreaterThan(100);
  });

  it('goes one way: lib/ and db/ import neither runner/ nor app/, and app/ does not import runner/', () => {
    const wrong = [...g].flatMap(([f, deps]) =>
      deps
        .filter((d) => (/^(lib|db)\//.test(f) && /^(runner|app)\//.test(d)) || (f.startsWith('app/') && d.startsWith('runner/')))
        .map((d) => `${f} -> ${d}`),
    );
    expect(wrong).toEqual([]);
  });

  it('has no cycle', () => {
    const found = cycles(g).map((c) => c.join(' <-> '));
    expect(found).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('keeps the cycles off the queue: bench, matrix and the daemon reach the queue only through a runway (runner/runway)', () => {
    const cycle = [...g].filter(([f]) => f.startsWith('runner/cycle/'));
    expect(cycle.length).toBeGreaterThan(2);
    expect(cycle.flatMap(([f, deps]) => deps.filter((d) => d.startsWith('runner/queue/')).map((d) => `${f} -> ${d}`))).toEqual([]);
  });

  it('keeps the runner root to a few entry points (roles live in folders)', () => {
    const root = readdirSync(join(ROOT, 'runner')).filter((n) => statSync(join(ROOT, 'runner', n)).isFile());
    expect(root.length, root.join(', ')).toBeLessThanOrEqual(6);
  });
});
