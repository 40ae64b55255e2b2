import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cryptMatcher, cryptPatterns, decryptTranscrypt, type TranscryptKey } from '../../lib/transcrypt.ts';
import { sha256, type TreeEntry } from '../../lib/versions.ts';
import type { TreeFile } from '../executor/types.ts';
import { readBlobs } from './blobs.ts';
import { gitLimits, gitRepo, runGit, type GitLimits, type GitRepo } from './env.ts';
import { descendAccepted, walkCommit, type Listed } from './walk.ts';

interface Where {
  id: string;
  mode: string;
  size: number;
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/**
 * Inputs, answers and configs are read into memory as text, and a
 * participant's repository is hostile input: a blob over this is not read.
 * (Advent of Code inputs are tens of kilobytes.)
 */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
/** Encrypted files are decrypted in memory: a bigger one stays undecrypted. */
const MAX_CRYPT_BYTES = 64 * 1024 * 1024;

/** Committed content of a checkout (HEAD), submodules included, readable by path. */
export class CommittedTree {
  /** Plaintext of transcrypt-encrypted files, by path. */
  readonly decrypted = new Map<string, string>();
  /** Encrypted files that could not be decrypted (wrong password or cipher, or no key). */
  readonly undecryptable: string[] = [];

  private constructor(
    /** The commit this content is from: what a benchmark host must check out to run the same thing. */
    readonly commit: string,
    readonly entries: TreeEntry[],
    private readonly where: Map<string, Where>,
    private readonly repo: GitRepo,
  ) {}

  private copy: Promise<TreeFile[]> | null = null;

  /**
   * With a key, files that `.gitattributes` marks `filter=crypt` are decrypted
   * and versioned by their plaintext (a re-encryption with a new salt changes
   * nothing); without one, or with a wrong one, they are unreadable, never ciphertext.
   */
  static async load(dir: string, key?: TranscryptKey | null, limits: GitLimits = gitLimits()): Promise<CommittedTree> {
    const repo = gitRepo(dir, limits);
    // Resolved once, so the content read and the commit named are the same even if HEAD moves meanwhile.
    // A sync points HEAD at a commit it checked (update-ref --no-deref): read, not asked of git; anything else is resolved by git.
    const detached = (await readFile(join(repo.gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
    const commit = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(detached) ? detached : (await runGit(repo, ['rev-parse', '--verify', 'HEAD^{commit}']).catch(() => {
      throw new Error('the repository has no commit yet (see the repository update status)');
    })).toString().trim();
    // Listed within the instance's limits (a sync checked them too): nothing is read before every size is known.
    const cached = await readCache(repo, commit);
    const listed = cached?.listed ?? (await walkCommit(repo, { rev: commit, prefix: '', url: null, depth: 0 }, { entries: 0, bytes: 0 }, descendAccepted(repo)));
    const entries: TreeEntry[] = listed.map((e) => ({ path: e.path, id: e.id }));
    const where = new Map<string, Where>(listed.map((e) => [e.path, { id: e.id, mode: e.mode, size: e.size }]));
    const tree = new CommittedTree(commit, entries, where, repo);
    tree.listed = listed;
    for (const [id, text] of Object.entries(cached?.blobs ?? {})) tree.blobTexts.set(id, text);
    tree.cachedBlobs = tree.blobTexts.size;
    tree.fromCache = !!cached;
    const attrs = where.has('.gitattributes') ? await tree.readBlob('.gitattributes') : null;
    const isCrypt = cryptMatcher(cryptPatterns(attrs));
    for (const e of entries) {
      if (!isCrypt(e.path)) continue;
      const text = await tree.readBlob(e.path, MAX_CRYPT_BYTES);
      const plain = text !== null && key ? decryptTranscrypt(text, key) : null;
      if (plain === null) {
        tree.undecryptable.push(e.path);
        continue;
      }
      tree.decrypted.set(e.path, plain);
      e.id = `dec:${sha256(plain).slice(0, 40)}`;
    }
    return tree;
  }

  private listed: Listed[] = [];
  /** Texts read so far by blob id (a blob's content never changes): kept in the cache for the next load of this commit. */
  private blobTexts = new Map<string, string>();
  /** A subtree: its listing is not the commit's, so only the whole tree keeps the cache. */
  private view = false;

  /**
   * The content under `folder` as if it were the whole repository (a
   * season's folder of a repository holding several years, lib/seasons.ts):
   * paths relative to it, nothing outside it. Null when nothing is committed there.
   * Blobs read through it count for the whole tree's cache (persist the whole tree).
   */
  subtree(folder: string): CommittedTree | null {
    const prefix = `${folder.replace(/\/+$/, '')}/`;
    const inside = (path: string) => path.startsWith(prefix);
    const cut = (path: string) => path.slice(prefix.length);
    const where = new Map<string, Where>();
    for (const [path, w] of this.where) if (inside(path)) where.set(cut(path), w);
    if (!where.size) return null;
    const sub = new CommittedTree(this.commit, this.entries.filter((e) => inside(e.path)).map((e) => ({ path: cut(e.path), id: e.id })), where, this.repo);
    for (const [path, text] of this.decrypted) if (inside(path)) sub.decrypted.set(cut(path), text);
    sub.undecryptable.push(...this.undecryptable.filter(inside).map(cut));
    sub.blobTexts = this.blobTexts;
    sub.view = true;
    return sub;
  }
  private cachedBlobs = 0;
  private fromCache = false;

  private async readBlob(path: string, max = MAX_TEXT_BYTES): Promise<string | null> {
    const w = this.where.get(path);
    if (!w || !w.mode.startsWith('100') || w.size > max) return null;
    const known = this.blobTexts.get(w.id);
    if (known !== undefined) return known;
    const text = (await runGit(this.repo, ['cat-file', 'blob', w.id], { maxOutput: max })).toString('utf8');
    if (w.size <= MAX_TEXT_BYTES) this.blobTexts.set(w.id, text);
    return text;
  }

  /**
   * Keeps this commit's listing and the texts read from it, so that the next
   * load of the same commit with the same limits starts no git process. The
   * file is aocbench's own, in the host-only git dir (a fetch writes only
   * objects and the refs it is told to).
   */
  async persist(): Promise<void> {
    if (this.view) return;
    if (this.fromCache && this.blobTexts.size === this.cachedBlobs) return;
    const file = cacheFile(this.repo);
    const body: CacheBody = { commit: this.commit, limits: limitsKey(this.repo), listed: this.listed, blobs: Object.fromEntries(this.blobTexts) };
    await writeFile(`${file}.tmp`, JSON.stringify(body)).then(() => rename(`${file}.tmp`, file)).catch(() => {});
  }

  /**
   * Every committed file as the sandbox gets it (read once): decrypted where
   * it could be, links as links, no `.git` and nothing that is not committed.
   */
  files(maxBytes: number): Promise<TreeFile[]> {
    let total = 0;
    for (const w of this.where.values()) total += w.size;
    if (total > maxBytes) return Promise.reject(new Error(`the committed files take ${mb(total)} MB, over the ${mb(maxBytes)} MB disk limit`));
    this.copy ??= this.readFiles();
    return this.copy;
  }

  private async readFiles(): Promise<TreeFile[]> {
    const ids = new Map<string, number>();
    for (const w of this.where.values()) if (w.mode !== '160000') ids.set(w.id, w.size);
    const blobs = await readBlobs(this.repo, [...ids.keys()], [...ids.values()].reduce((a, b) => a + b, 0));
    const files: TreeFile[] = [];
    for (const [path, w] of this.where) {
      if (w.mode === '160000') continue; // a submodule that is not checked out: nothing to copy
      const plain = this.decrypted.get(path);
      const data = plain !== undefined ? Buffer.from(plain, 'utf8') : blobs.get(w.id)!;
      files.push({ path, kind: w.mode === '120000' ? 'link' : 'file', mode: w.mode === '100755' ? 0o755 : 0o644, data });
    }
    return files;
  }

  has(path: string): boolean {
    return this.where.has(path);
  }

  /** A committed regular file too big to be read as text (`read` gives null for it). */
  tooLarge(path: string): boolean {
    const w = this.where.get(path);
    return !!w && w.mode.startsWith('100') && w.size > MAX_TEXT_BYTES;
  }

  /** Content of a committed regular file (decrypted); null for missing, undecryptable, links and submodules. */
  async read(path: string): Promise<string | null> {
    if (this.decrypted.has(path)) return this.decrypted.get(path)!;
    if (this.undecryptable.includes(path)) return null;
    if (this.texts.has(path)) return this.texts.get(path)!;
    return this.readBlob(path);
  }

  private readonly texts = new Map<string, string | null>();

  /**
   * Reads these files in one `git cat-file --batch` per repository, for the
   * `read`s that follow: one git process per file cost ~0.3 s per participant.
   */
  async prefetch(paths: string[]): Promise<void> {
    const files: Array<[string, Where]> = [];
    for (const path of new Set(paths)) {
      const w = this.where.get(path);
      if (this.texts.has(path) || this.decrypted.has(path) || !w || !w.mode.startsWith('100') || w.size > MAX_TEXT_BYTES) continue;
      files.push([path, w]);
    }
    const unknown = files.filter(([, w]) => !this.blobTexts.has(w.id));
    const blobs = await readBlobs(this.repo, unknown.map(([, w]) => w.id), unknown.reduce((a, [, w]) => a + w.size, 0));
    for (const [id, data] of blobs) this.blobTexts.set(id, data.toString('utf8'));
    for (const [path, w] of files) this.texts.set(path, this.blobTexts.get(w.id) ?? null);
  }
}

interface CacheBody {
  commit: string;
  limits: string;
  listed: Listed[];
  blobs: Record<string, string>;
}

const cacheFile = (repo: GitRepo) => join(repo.gitDir, 'aocbench-tree-cache.json');
/** A listing passed these limits; lower ones must list (and check) again. */
const limitsKey = (repo: GitRepo) => JSON.stringify([repo.limits.maxEntries, repo.limits.maxBytes, repo.limits.maxBlobBytes, repo.limits.submoduleHosts]);

/** The cached listing and texts of this commit, or null (another commit, other limits, no or unreadable cache). */
async function readCache(repo: GitRepo, commit: string): Promise<CacheBody | null> {
  try {
    const body = JSON.parse(await readFile(cacheFile(repo), 'utf8')) as CacheBody;
    return body.commit === commit && body.limits === limitsKey(repo) && Array.isArray(body.listed) ? body : null;
  } catch {
    return null;
  }
}
