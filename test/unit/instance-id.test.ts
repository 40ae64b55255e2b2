import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceLabel } from '../../runner/host/instance-id.ts';

describe('the label of a data dir\'s sandboxes', () => {
  it('is random for a new data dir and kept in it: two containers with the same path get different ones', () => {
    const a = join(mkdtempSync(join(tmpdir(), 'aocbench-id-')), 'srv', 'data');
    const b = join(mkdtempSync(join(tmpdir(), 'aocbench-id-')), 'srv', 'data');
    const la = instanceLabel(a);
    expect(la).toMatch(/^[0-9a-f]{12}$/);
    expect(readFileSync(join(a, 'instance-id'), 'utf8').trim()).toBe(la);
    expect(instanceLabel(b)).not.toBe(la);
    expect(instanceLabel(a)).toBe(la);
  });

  it('stays the hash of the path for a data dir from before the file, so its volumes are still its own', () => {
    const d = mkdtempSync(join(tmpdir(), 'aocbench-id-'));
    mkdirSync(join(d, 'repos'));
    writeFileSync(join(d, 'aocbench.db'), '');
    expect(instanceLabel(d)).toBe(createHash('sha256').update(d).digest('hex').slice(0, 12));
  });
});
