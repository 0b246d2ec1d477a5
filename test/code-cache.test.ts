/**
 * The code cache (src/code-cache.ts) through the built bin: the first run saves V8's compiled code, later
 * runs use it, and nothing about the cache (missing, damaged, stale, unwritable, off) changes what a run
 * writes or its exit code. `npm test` builds dist/ first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheFile } from '../src/code-cache.js';
import { listFiles, tempDir } from './support/cli.js';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/create-canary-pipeline.js');

/** One scaffold into a fresh folder with the cache setting given; its exit code and files. */
function scaffold(cache: string): { code: number | null; stderr: string; files: Map<string, string> } {
  const out = join(tempDir('ccp-code-cache-'), 'repo');
  const r = spawnSync(process.execPath, [bin, out, '--yes', '--example', '--skip-install'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', CREATE_CANARY_PIPELINE_CODE_CACHE: cache },
  });
  // The upgrade base is gzip (its bytes depend on nothing but the texts, which the other files carry).
  const files = new Map(
    listFiles(out)
      .filter((f) => !f.endsWith('.gz'))
      .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
  );
  return { code: r.status, stderr: r.stderr, files };
}

const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('code cache', () => {
  const reference = scaffold('0');

  it('off: runs as always and writes no cache', () => {
    expect(reference.code, reference.stderr).toBe(0);
    expect(reference.files.size).toBeGreaterThan(30);
  });

  it('the first run saves the CLI and the templates, the next run uses them (not rewritten) and writes the same tree', () => {
    const dir = join(tempDir('ccp-cc-dir-'), 'cache');
    const first = scaffold(dir);
    expect(first.code, first.stderr).toBe(0);
    const names = entries(dir);
    expect(names).toEqual(
      ['cli', 'templates'].map((n) =>
        expect.stringMatching(new RegExp(`^${n}-${process.version}-${process.arch}-[0-9a-f]{20}\\.v8cache$`)),
      ),
    );
    const before = names.map((n) => statSync(join(dir, n)));
    for (const s of before) expect(s.size).toBeGreaterThan(20_000);
    const second = scaffold(dir);
    expect(second.code, second.stderr).toBe(0);
    // A rejected cache is written again at exit: same inode and mtime mean V8 accepted it.
    const after = names.map((n) => statSync(join(dir, n)));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
    expect(second.files).toEqual(reference.files);
    expect(first.files).toEqual(reference.files);
  });

  it('a damaged cache is rejected by V8, the run is unchanged, and the cache is written anew', () => {
    const dir = join(tempDir('ccp-cc-dir-'), 'cache');
    scaffold(dir);
    const name = entries(dir).find((n) => n.startsWith('cli-'));
    writeFileSync(join(dir, name!), 'not V8 code cache data');
    const r = scaffold(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files).toEqual(reference.files);
    expect(statSync(join(dir, name!)).size).toBeGreaterThan(50_000);
  });

  it("a stale cache of another build is removed when this build's is saved", () => {
    const dir = join(tempDir('ccp-cc-dir-'), 'cache');
    mkdirSync(dir);
    writeFileSync(join(dir, `cli-${process.version}-${process.arch}-00000000000000000000.v8cache`), 'old build');
    writeFileSync(join(dir, 'unrelated.txt'), 'kept');
    expect(scaffold(dir).code).toBe(0);
    expect(entries(dir)).toEqual([
      expect.stringMatching(/^cli-.*\.v8cache$/),
      expect.stringMatching(/^templates-.*\.v8cache$/),
      'unrelated.txt',
    ]);
    expect(entries(dir).join(' ')).not.toContain('00000000000000000000');
  });

  it('an unusable cache directory (a file is in the way) changes nothing', () => {
    const blocker = join(tempDir('ccp-cc-dir-'), 'file');
    writeFileSync(blocker, 'a file, not a directory');
    const r = scaffold(join(blocker, 'cache'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.files).toEqual(reference.files);
  });

  it('a cache file that cannot be replaced (a folder in its place) changes nothing and leaves no temp file', () => {
    const dir = join(tempDir('ccp-cc-dir-'), 'cache');
    const source = readFileSync(join(root, 'dist/cli.cjs'), 'utf8');
    mkdirSync(codeCacheFile(dir, 'cli', source), { recursive: true });
    const r = scaffold(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files).toEqual(reference.files);
    expect(entries(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the cache by a hash of the source (V8 itself compares only its length) and finds its directory', () => {
    expect(codeCacheFile('/c', 'cli', 'a = 1')).not.toBe(codeCacheFile('/c', 'cli', 'a = 2'));
    expect(codeCacheFile('/c', 'cli', 'a = 1')).toBe(codeCacheFile('/c', 'cli', 'a = 1'));
    expect(codeCacheFile('/c', 'cli', 'a = 1')).not.toBe(codeCacheFile('/c', 'templates', 'a = 1'));
    expect(codeCacheDir({ CREATE_CANARY_PIPELINE_CODE_CACHE: 'off' })).toBeUndefined();
    expect(codeCacheDir({ CREATE_CANARY_PIPELINE_CODE_CACHE: '/x/y' })).toBe('/x/y');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/create-canary-pipeline');
  });
});
