/**
 * The CLI's bundle (bin/cli-bundle.js) on a tiny project of its own: made
 * once, used while its sources are unchanged, made again in a new folder when
 * one is newer (the old one stays for a process still loading from it), and
 * each module's import.meta paths still name its source.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCli } from '../../bin/cli-bundle.js';
import { tempDir } from '../helpers/git-repo.ts';

describe("the CLI's bundle", () => {
  it('is made once, remade in a folder of its own when a source is newer, and keeps each source its own paths', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'runner'));
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'runner', 'cli.ts'), "import { where } from './where.ts';\nexport const here: string = where;\n");
    writeFileSync(join(root, 'runner', 'where.ts'), 'export const where: string = import.meta.dirname;\n');
    const first = await bundledCli(root);
    expect(first).toBeTruthy();
    expect(await bundledCli(root)).toBe(first);
    const mod = await import(pathToFileURL(first!).href);
    expect(mod.here).toBe(join(root, 'runner'));
    // A source saved after the build: a new bundle, the old one left for whoever still runs from it.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'runner', 'where.ts'), later, later);
    const second = await bundledCli(root);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect(existsSync(first!)).toBe(true);
  });
});
