/** The run lock: O_EXCL file naming its holder, waits then gives up, takes over stale locks, never two holders. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LOCK_FILE, LockBusyError } from '../src/regen/lock.js';
import { tempDir } from './support/cli.js';
import { compiledModule } from './support/compile-src.js';

const LOCK_MODULE = compiledModule('regen/lock');

/** A pid that certainly no longer runs: a child that has exited. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

/** Start a child that takes the lock, prints "locked", holds it `ms`, then exits (normally or by SIGKILL). */
function holder(dir: string, ms: number, end: 'exit' | 'kill9'): Promise<{ exit: Promise<number | null> }> {
  const code = `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
    acquireLock(${JSON.stringify(dir)}); console.log('locked');
    setTimeout(() => ${end === 'exit' ? 'process.exit(0)' : "process.kill(process.pid, 'SIGKILL')"}, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exit = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return new Promise((resolve) => child.stdout.once('data', () => resolve({ exit })));
}

describe('run lock', () => {
  it('creates the lock file naming pid, host and start time, and removes it on release', () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.now() - Date.parse(owner.startedAt)).toBeLessThan(60_000);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock.release(); // idempotent
  });

  it('a second run waits, then gives up with "another run is in progress" naming the holder', () => {
    const dir = tempDir();
    const first = acquireLock(dir);
    const t0 = Date.now();
    expect(() => acquireLock(dir, { waitMs: 400 })).toThrow(LockBusyError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(() => acquireLock(dir, { waitMs: 0 })).toThrow(
      new RegExp(`another run is in progress in this folder \\(pid ${process.pid} on `),
    );
    first.release();
    acquireLock(dir, { waitMs: 0 }).release();
  });

  it('takes over the lock of a dead process, with a notice', () => {
    const dir = tempDir();
    const pid = Number(deadPid());
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }),
    );
    const lock = acquireLock(dir, { waitMs: 0 });
    expect(lock.notices.join('\n')).toMatch(
      new RegExp(`took over a stale lock \\(pid ${pid}, started 2020-01-01T00:00:00.000Z, no longer runs\\)`),
    );
    lock.release();
  });

  it('an unreadable lock is stale only once it is older than 10 s (a holder may be writing it)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    expect(() => acquireLock(dir, { waitMs: 0 })).toThrow(LockBusyError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const lock = acquireLock(dir, { waitMs: 0 });
    expect(lock.notices[0]).toMatch(/unreadable/);
    lock.release();
  });

  it('a lock of another host is never judged stale', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: Number(deadPid()), host: `not-${hostname()}`, startedAt: 'x' }),
    );
    expect(() => acquireLock(dir, { waitMs: 0 })).toThrow(/on not-/);
  });

  it('release never removes a lock that is no longer this acquisition’s', () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'other', token: 'other' }),
    );
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('a holder that exits early frees the folder; one killed with -9 leaves a lock the next run takes over', async () => {
    const dir = tempDir();
    const a = await holder(dir, 100, 'exit');
    expect(() => acquireLock(dir, { waitMs: 0 })).toThrow(LockBusyError);
    expect(await a.exit).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const b = await holder(dir, 100, 'kill9');
    await b.exit;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const lock = acquireLock(dir, { waitMs: 0 });
    expect(lock.notices[0]).toMatch(/took over a stale lock/);
    lock.release();
  }, 30_000);

  it('waits for a live holder that finishes within the wait', async () => {
    const dir = tempDir();
    const a = await holder(dir, 300, 'exit');
    const lock = acquireLock(dir, { waitMs: 10_000 });
    expect(lock.notices).toEqual([]);
    lock.release();
    await a.exit;
  }, 30_000);

  it('never has two holders: concurrent processes racing for a stale lock hold it one after another', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(deadPid()), host: hostname(), startedAt: 'x' }));
    const log = join(dir, 'log');
    const code = `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)}); const fs = await import('node:fs');
      const l = acquireLock(${JSON.stringify(dir)}, { waitMs: 30000, pollMs: 5 }); const t0 = process.hrtime.bigint();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); const t1 = process.hrtime.bigint();
      fs.appendFileSync(${JSON.stringify(log)}, t0 + ' ' + t1 + '\\n'); l.release();`;
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<number | null>((r) =>
          spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' }).on('exit', r),
        ),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0, 0, 0]);
    const spans = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(BigInt))
      .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
    expect(spans).toHaveLength(6);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]! >= spans[i - 1]![1]!, `holders ${i - 1} and ${i} overlap`).toBe(true);
  }, 60_000);
});
