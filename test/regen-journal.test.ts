/** The run journal: written before the first change, then completed or rolled back by the next run. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  JOURNAL_FILE,
  readJournal,
  recoverJournal,
  rollBack,
  writeJournal,
  type Journal,
} from '../src/regen/journal.js';
import { commit } from '../src/regen/commit.js';
import type { FileOutcome } from '../src/regen/reconcile.js';
import { sha256 } from '../src/regen/text.js';
import { STATE_FILE } from '../src/regen/state.js';
import { listFiles, tempDir } from './support/cli.js';

const B = (s: string): Buffer => Buffer.from(s);
function put(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
const read = (dir: string, path: string): string | undefined =>
  existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : undefined;

/** A journal that changes a, creates b/c/new.txt, deletes d, and rewrites .yo-rc.json last. */
function journalIn(dir: string): Journal {
  put(dir, 'a.txt', 'a old\n');
  put(dir, 'd.txt', 'd old\n');
  put(dir, STATE_FILE, '{"old":true}\n');
  return {
    pid: 4242,
    startedAt: '2026-01-01T00:00:00.000Z',
    generatorVersion: '0.1.0',
    entries: [
      { path: 'a.txt', before: B('a old\n'), after: B('a new\n') },
      { path: 'b/c/new.txt', before: null, after: B('\u0000binary\xff\n') },
      { path: 'd.txt', before: B('d old\n'), after: null },
      { path: STATE_FILE, before: B('{"old":true}\n'), after: B('{"new":true}\n') },
    ],
  };
}

describe('run journal', () => {
  it('round-trips every entry byte for byte (absent files as null)', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    expect(readJournal(dir)).toEqual(j);
  });

  it('completes a change the run had not started (killed right after the journal)', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    const r = recoverJournal(dir, readJournal(dir)!);
    expect(r.action).toBe('completed');
    expect(r.message).toMatch(
      /an earlier run \(pid 4242, started 2026-01-01T00:00:00.000Z\) was interrupted; completed its change \(4 file\(s\) written now, 0 already done\)/,
    );
    expect([read(dir, 'a.txt'), read(dir, 'b/c/new.txt'), read(dir, 'd.txt'), read(dir, STATE_FILE)]).toEqual([
      'a new\n',
      '\u0000binary\xff\n',
      undefined,
      '{"new":true}\n',
    ]);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
  });

  it('completes a half-applied change (some files new, answers old): the killed-mid-run case', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    put(dir, 'a.txt', 'a new\n');
    put(dir, 'b/c/new.txt', '\u0000binary\xff\n');
    const r = recoverJournal(dir, readJournal(dir)!);
    expect(r).toMatchObject({ action: 'completed', changed: ['d.txt', STATE_FILE] });
    expect(read(dir, STATE_FILE)).toBe('{"new":true}\n');
  });

  it('rolls back when a file changed since the interruption, leaving that file and naming it', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    put(dir, 'a.txt', 'a new\n');
    put(dir, 'b/c/new.txt', '\u0000binary\xff\n');
    put(dir, 'd.txt', 'the user edited d after the crash\n');
    const r = recoverJournal(dir, readJournal(dir)!);
    expect(r.action).toBe('rolled-back');
    expect(r.message).toMatch(
      /and d\.txt changed since; rolled its change back \(2 file\(s\) restored\), leaving that file as it is/,
    );
    expect(read(dir, 'a.txt')).toBe('a old\n');
    expect(read(dir, 'd.txt')).toBe('the user edited d after the crash\n');
    expect(read(dir, STATE_FILE)).toBe('{"old":true}\n');
    // The created file is gone, and so are the folders it needed.
    expect(listFiles(dir).sort()).toEqual([STATE_FILE, 'a.txt', 'd.txt'].sort());
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
  });

  it('recovery is idempotent: recovering again after an interrupted recovery gives the same tree', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    put(dir, 'a.txt', 'a new\n'); // the first recovery got this far, then was killed too
    recoverJournal(dir, readJournal(dir)!);
    const once = listFiles(dir).map((f) => [f, read(dir, f)]);
    writeJournal(dir, j);
    recoverJournal(dir, readJournal(dir)!);
    expect(listFiles(dir).map((f) => [f, read(dir, f)])).toEqual(once);
  });

  it.each([
    ['garbage', Buffer.from('not gzip at all')],
    ['wrong format', gzipSync(JSON.stringify({ format: 9, pid: 1, startedAt: 'x', entries: [] }))],
    [
      'path outside',
      gzipSync(
        JSON.stringify({
          format: 1,
          pid: 1,
          startedAt: 'x',
          generatorVersion: '0.1.0',
          entries: [{ path: '../../etc/x', before: null, after: 'eA==' }],
        }),
      ),
    ],
    [
      'entry of the wrong type',
      gzipSync(
        JSON.stringify({
          format: 1,
          pid: 1,
          startedAt: 'x',
          generatorVersion: '0.1.0',
          entries: [{ path: 'a', before: 1, after: null }],
        }),
      ),
    ],
  ])('refuses a journal it cannot trust (%s), naming the file, changing nothing', (_name, bytes) => {
    const dir = tempDir();
    writeFileSync(join(dir, JOURNAL_FILE), bytes);
    expect(() => readJournal(dir)).toThrow(
      new RegExp(`${JOURNAL_FILE.replace(/\./g, '\\.')}.*Delete it and re-run; nothing was written`),
    );
    expect(listFiles(dir)).toEqual([JOURNAL_FILE]);
  });

  it('takes a prefix of a file the run was creating for its own cut-short write: completes it', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    writeJournal(dir, j);
    put(dir, 'a.txt', 'a new\n');
    put(dir, 'b/c/new.txt', '\u0000bin'); // writeNewFile was killed mid-write
    const r = recoverJournal(dir, readJournal(dir)!);
    expect(r).toMatchObject({ action: 'completed', changed: ['b/c/new.txt', 'd.txt', STATE_FILE] });
    expect(read(dir, 'b/c/new.txt')).toBe('\u0000binary\xff\n');
  });

  it('removes a cut-short new file when it rolls back, but leaves a file at that path that is not a prefix', () => {
    for (const [onDisk, kept] of [
      ['', false],
      ['\u0000binary', false],
      ['somebody else\n', true],
      ['\u0000binary\xff\n and more', true],
    ] as const) {
      const dir = tempDir();
      const j = journalIn(dir);
      writeJournal(dir, j);
      put(dir, 'b/c/new.txt', onDisk);
      put(dir, 'd.txt', 'the user edited d after the crash\n');
      const r = recoverJournal(dir, readJournal(dir)!);
      expect(r.action).toBe('rolled-back');
      expect(read(dir, 'b/c/new.txt')).toBe(kept ? onDisk : undefined);
      expect(/and (.*) changed since/.exec(r.message)![1]!.split(', ').includes('b/c/new.txt')).toBe(kept);
    }
  });

  it('stores texts as plain JSON strings and other bytes as base64, byte for byte', () => {
    const dir = tempDir();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    const j: Journal = {
      pid: 1,
      startedAt: 'x',
      generatorVersion: '0.1.0',
      entries: [
        { path: 'bin', before: null, after: bytes },
        { path: 't', before: B('é\n'), after: null },
      ],
    };
    writeJournal(dir, j);
    const raw = JSON.parse(readFileSync(join(dir, JOURNAL_FILE), 'utf8'));
    expect(raw.entries).toEqual([
      { path: 'bin', before: null, after: { base64: bytes.toString('base64') } },
      { path: 't', before: { text: 'é\n' }, after: null },
    ]);
    expect(readJournal(dir)).toEqual(j);
  });

  it('still reads a journal an earlier version wrote (gzip, base64 sides)', () => {
    const dir = tempDir();
    const old = {
      format: 1,
      pid: 7,
      startedAt: 'x',
      generatorVersion: '0.1.0',
      entries: [{ path: 'a.txt', before: null, after: B('new\n').toString('base64') }],
    };
    writeFileSync(join(dir, JOURNAL_FILE), gzipSync(JSON.stringify(old)));
    expect(readJournal(dir)).toEqual({
      pid: 7,
      startedAt: 'x',
      generatorVersion: '0.1.0',
      entries: [{ path: 'a.txt', before: null, after: B('new\n') }],
    });
  });

  it('rollBack restores only what is in its after state', () => {
    const dir = tempDir();
    const j = journalIn(dir);
    put(dir, 'a.txt', 'a new\n');
    expect(rollBack(dir, j)).toEqual(['a.txt']);
    expect(read(dir, 'a.txt')).toBe('a old\n');
  });
});

describe('commit', () => {
  const create = (path: string, text: string): FileOutcome => ({
    path,
    kind: 'managed',
    action: 'create',
    text,
    record: { kind: 'managed', sha256: sha256(text) },
  });
  const input = (dir: string, outcomes: FileOutcome[]) => ({
    dir,
    outcomes,
    previous: {},
    state: { schemaVersion: 1, generatorVersion: '0.1.0', answers: {} },
    renders: new Map(outcomes.map((o) => [o.path, o.text!])),
    previousBase: new Map(),
    previousStore: {},
  });

  it('writes files, upgrade base and state, and leaves no journal', () => {
    const dir = tempDir();
    commit(input(dir, [create('x/a.tf', 'a\n'), create('b.yml', 'b: 1\n')]));
    expect(listFiles(dir)).toEqual(['.create-canary-pipeline/base.json.gz', '.yo-rc.json', 'b.yml', 'x/a.tf']);
  });

  it('creates a new file in place but never over a file that appeared since reconcile', () => {
    const dir = tempDir();
    const outcomes = [create('a.tf', 'a\n')];
    put(dir, 'a.tf', 'written by somebody after reconcile\n');
    expect(() => commit(input(dir, outcomes))).toThrow(/EEXIST[\s\S]*Rolled back/);
    expect(read(dir, 'a.tf')).toBe('written by somebody after reconcile\n');
    expect(listFiles(dir)).toEqual(['a.tf']);
  });

  it('a write that fails part-way rolls the whole change back and says so', () => {
    const dir = tempDir();
    put(dir, 'keep.txt', 'user file\n');
    put(dir, 'blocker', 'a file where the run needs a folder\n');
    const before = listFiles(dir).map((f) => [f, read(dir, f)]);
    expect(() => commit(input(dir, [create('first.tf', 'first\n'), create('blocker/second.tf', 'second\n')]))).toThrow(
      /Rolled back: 1 file\(s\) restored, so nothing was changed/,
    );
    expect(listFiles(dir).map((f) => [f, read(dir, f)])).toEqual(before);
  });
});
