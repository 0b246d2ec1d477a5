/**
 * The target folder across runs: the upgrade base (verified by hash, size as the README states),
 * the lock seen from the CLI, recovery for a door that did not lock, temp files of killed runs, and
 * --dry-run leaving no folder behind.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BASE_STORE, encodeBaseStore, nextStoreBytes, readBaseStore, verifiedTexts } from '../src/regen/base-store.js';
import { acquireLock } from '../src/regen/lock.js';
import { JOURNAL_FILE, writeJournal } from '../src/regen/journal.js';
import { enterTarget, TargetChangedError } from '../src/regen/target.js';
import { readSavedState } from '../src/regen/state.js';
import { sha256 } from '../src/regen/text.js';
import { cli, listFiles, tempDir } from './support/cli.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

async function generated(): Promise<string> {
  const dir = join(tempDir('ccp-target-'), 'out');
  const r = await cli([dir, '--yes', '--example'], '/');
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('upgrade base', () => {
  it('holds exactly the verified texts; a text whose hash does not match is never used', () => {
    const store = {
      files: new Map([
        ['a.tf', 'a\n'],
        ['b.yml', 'b\n'],
        ['c.ts', 'tampered\n'],
      ]),
    };
    const manifest = {
      'a.tf': { kind: 'managed' as const, sha256: sha256('a\n') },
      'b.yml': { kind: 'seed' as const, sha256: sha256('b\n') },
      'c.ts': { kind: 'managed' as const, sha256: sha256('c\n') },
    };
    expect([...verifiedTexts(store, manifest)]).toEqual([['a.tf', 'a\n']]);
  });

  it('reports a damaged store and carries on without it; equal content is not rewritten', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.create-canary-pipeline'));
    writeFileSync(join(dir, BASE_STORE), 'not gzip');
    expect(readBaseStore(dir)).toMatchObject({ problem: expect.stringMatching(/damaged .*ignored/) });
    writeFileSync(join(dir, BASE_STORE), gzipSync('{"format":2}'));
    expect(readBaseStore(dir).problem).toMatch(/unknown format/);
    const store = { files: new Map([['x', 'y\n']]) };
    writeFileSync(join(dir, BASE_STORE), encodeBaseStore(store));
    expect(nextStoreBytes(readBaseStore(dir), { files: new Map([['x', 'y\n']]) })).toBeUndefined();
    expect(nextStoreBytes(readBaseStore(dir), { files: new Map([['x', 'z\n']]) })).toBeInstanceOf(Buffer);
  });

  it('costs what the README says (default stack, compressed, and the tree it serves)', async () => {
    const dir = await generated();
    const store = statSync(join(dir, BASE_STORE)).size / 1024;
    const tree =
      listFiles(dir)
        .filter((f) => !f.startsWith('.create-canary-pipeline/'))
        .reduce((n, f) => n + statSync(join(dir, f)).size, 0) / 1024;
    const m = /about (\d+) KB for the default stack — the\s+generated tree is about (\d+) KB/.exec(README);
    expect(m, 'README states the size of the upgrade base').not.toBeNull();
    expect(Math.abs(store - Number(m![1])) / Number(m![1]), `store is ${store.toFixed(1)} KB`).toBeLessThan(0.15);
    expect(Math.abs(tree - Number(m![2])) / Number(m![2]), `tree is ${tree.toFixed(1)} KB`).toBeLessThan(0.15);
  });
});

describe('the lock and recovery, seen from a run', () => {
  it('a run while another holds the folder waits, then exits 1 with "another run is in progress", writing nothing', async () => {
    const dir = await generated();
    const lock = acquireLock(dir);
    try {
      const t0 = Date.now();
      const r = await cli(['.', '--yes', '--canary-percent', '20'], dir);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(4500);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^create-canary-pipeline: another run is in progress in this folder \(pid \d+ on .*, started .*\); nothing was written/,
      );
      expect(readSavedState(dir)!.answers.canaryPercent).toBe(10);
    } finally {
      lock.release();
    }
  }, 30_000);

  it('a door that did not lock first gets the recovery, then a refusal to go on with what it read', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'old\n');
    writeJournal(dir, {
      pid: 1,
      startedAt: 'then',
      generatorVersion: '0.1.0',
      entries: [{ path: 'a.txt', before: Buffer.from('old\n'), after: Buffer.from('new\n') }],
    });
    expect(() => enterTarget(dir, undefined)).toThrow(TargetChangedError);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('new\n');
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
    expect(existsSync(join(dir, '.create-canary-pipeline.lock'))).toBe(false);
  });

  it('a door that read the state before another run changed it is refused', async () => {
    const dir = await generated();
    const saved = readSavedState(dir)!;
    await cli(['.', '--yes', '--desired-count', '5'], dir);
    expect(() => enterTarget(dir, saved)).toThrow(/another run changed .* while this one was preparing/);
    enterTarget(dir, readSavedState(dir)).release();
  });

  it('removes temp files a killed run left beside the files, and says so', async () => {
    const dir = await generated();
    const stale = [
      'terraform/.main.tf.99999.0a1b2c3d.tmp',
      '..yo-rc.json.1.0a1b2c3d.tmp',
      '.create-canary-pipeline/.base.json.gz.4242.deadbeef.tmp',
    ];
    for (const f of stale) writeFileSync(join(dir, f), 'half');
    writeFileSync(join(dir, 'terraform/.notes.tmp'), 'the user’s own file');
    const r = await cli(['.', '--yes', '--desired-count', '4'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/removed 3 temp file\(s\) an interrupted run left/);
    for (const f of stale) expect(existsSync(join(dir, f)), f).toBe(false);
    expect(existsSync(join(dir, 'terraform/.notes.tmp'))).toBe(true);
  });

  it('--dry-run into a folder that does not exist creates nothing', async () => {
    const cwd = tempDir();
    const r = await cli(['new-service', '--yes', '--example', '--dry-run'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: nothing was written/);
    expect(existsSync(join(cwd, 'new-service'))).toBe(false);
  });
});
