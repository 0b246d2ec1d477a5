/** applyOutcomes on real temp directories: writes, backups, orphans, mtimes, crash safety. */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyError, applyOutcomes, diskReader } from '../src/regen/apply.js';
import { reconcile, type FileOutcome } from '../src/regen/reconcile.js';
import type { PlannedFile } from '../src/plan/file-spec.js';
import type { Manifest } from '../src/regen/state.js';
import { sha256 } from '../src/regen/text.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ccp-apply-'));
}
function put(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}
/** Every file below dir, relative. */
function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
}
function managed(path: string, text: string): PlannedFile {
  return { spec: { path, kind: 'managed', template: 'x' }, text };
}
const PAST = new Date('2020-01-01T00:00:00Z');

describe('applyOutcomes', () => {
  it('creates files (with parent directories) and records them', () => {
    const dir = tmp();
    const outcomes = reconcile(
      { dir, planned: [managed('a/b/c.tf', 'x\n')], manifest: {}, force: false },
      diskReader(dir),
    );
    const r = applyOutcomes(dir, outcomes, {});
    expect(read(dir, 'a/b/c.tf')).toBe('x\n');
    expect(r).toMatchObject({
      wroteAnything: true,
      conflicts: [],
      manifest: { 'a/b/c.tf': { kind: 'managed', sha256: sha256('x\n') } },
    });
  });

  it('never rewrites a byte-identical file: mtime untouched, wroteAnything false', () => {
    const dir = tmp();
    put(dir, 'same.tf', 'x\n');
    utimesSync(join(dir, 'same.tf'), PAST, PAST);
    const outcomes = reconcile(
      {
        dir,
        planned: [managed('same.tf', 'x\n')],
        manifest: { 'same.tf': { kind: 'managed', sha256: sha256('x\n') } },
        force: false,
      },
      diskReader(dir),
    );
    const r = applyOutcomes(dir, outcomes, {});
    expect(r.wroteAnything).toBe(false);
    expect(statSync(join(dir, 'same.tf')).mtime.getTime()).toBe(PAST.getTime());
  });

  it('--force writes the new version and keeps the user’s beside it as .orig', () => {
    const dir = tmp();
    put(dir, 'Dockerfile', 'FROM mine\n');
    const outcomes = reconcile(
      { dir, planned: [managed('Dockerfile', 'FROM generated\n')], manifest: {}, force: true },
      diskReader(dir),
    );
    const r = applyOutcomes(dir, outcomes, {});
    expect(read(dir, 'Dockerfile')).toBe('FROM generated\n');
    expect(read(dir, 'Dockerfile.orig')).toBe('FROM mine\n');
    expect(r.outcomes[0]!.action).toBe('forced');
    expect(Object.keys(r.manifest)).toEqual(['Dockerfile']);
  });

  it('writes a conflict with markers, lists it, and records the generated hash', () => {
    const dir = tmp();
    put(dir, 'f.tf', 'mine\n');
    const r = applyOutcomes(
      dir,
      reconcile({ dir, planned: [managed('f.tf', 'new\n')], manifest: {}, force: false }, diskReader(dir)),
      {},
    );
    expect(read(dir, 'f.tf')).toBe('<<<<<<< yours (on disk)\nmine\n=======\nnew\n>>>>>>> generated\n');
    expect(r.conflicts).toEqual(['f.tf']);
    expect(r.manifest['f.tf']).toEqual({ kind: 'managed', sha256: sha256('new\n') });
  });

  it('deletes an unedited orphan and the directories it leaves empty; keeps an edited one', () => {
    const dir = tmp();
    put(dir, 'terraform/codedeploy/x.tf', 'gen\n');
    put(dir, 'terraform/keep.tf', 'keep\n');
    put(dir, 'old.tf', 'edited\n');
    const previous: Manifest = {
      'terraform/codedeploy/x.tf': { kind: 'managed', sha256: sha256('gen\n') },
      'old.tf': { kind: 'managed', sha256: sha256('gen\n') },
    };
    const r = applyOutcomes(
      dir,
      reconcile({ dir, planned: [], manifest: previous, force: false }, diskReader(dir)),
      previous,
    );
    expect(files(dir)).toEqual(['old.tf', 'terraform/keep.tf']);
    expect(existsSync(join(dir, 'terraform/codedeploy'))).toBe(false);
    expect(r.manifest).toEqual({ 'old.tf': previous['old.tf'] });
    expect(r.outcomes.map((o) => o.action).sort()).toEqual(['delete-orphan', 'keep-orphan']);
  });

  it('keeps an orphan that changed between reconcile and apply', () => {
    const dir = tmp();
    put(dir, 'o.tf', 'gen\n');
    const previous: Manifest = { 'o.tf': { kind: 'managed', sha256: sha256('gen\n') } };
    const outcomes = reconcile({ dir, planned: [], manifest: previous, force: false }, diskReader(dir));
    put(dir, 'o.tf', 'edited meanwhile\n');
    const r = applyOutcomes(dir, outcomes, previous);
    expect(read(dir, 'o.tf')).toBe('edited meanwhile\n');
    expect(r.outcomes[0]!.action).toBe('keep-orphan');
  });

  it('keeps the permission bits of a rewritten file', () => {
    const dir = tmp();
    put(dir, 'run.sh', 'old\n');
    chmodSync(join(dir, 'run.sh'), 0o755);
    applyOutcomes(
      dir,
      reconcile(
        {
          dir,
          planned: [managed('run.sh', 'new\n')],
          manifest: { 'run.sh': { kind: 'managed', sha256: sha256('old\n') } },
          force: false,
        },
        diskReader(dir),
      ),
      {},
    );
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
  });
});

describe('crash safety', () => {
  it('a failed write leaves no partial or temp file; earlier files complete; manifest = what is on disk', () => {
    const dir = tmp();
    put(dir, 'b.tf/occupied', 'a directory stands where b.tf should go\n');
    const previous: Manifest = { 'c.tf': { kind: 'managed', sha256: sha256('old c\n') } };
    put(dir, 'c.tf', 'old c\n');
    const outcomes: FileOutcome[] = [
      {
        path: 'a.tf',
        kind: 'managed',
        action: 'create',
        text: 'A\n',
        record: { kind: 'managed', sha256: sha256('A\n') },
      },
      {
        path: 'b.tf',
        kind: 'managed',
        action: 'create',
        text: 'B\n',
        record: { kind: 'managed', sha256: sha256('B\n') },
      },
      {
        path: 'c.tf',
        kind: 'managed',
        action: 'update',
        text: 'new c\n',
        record: { kind: 'managed', sha256: sha256('new c\n') },
      },
    ];
    let error: unknown;
    try {
      applyOutcomes(dir, outcomes, previous);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).message).toContain('b.tf');
    expect((error as ApplyError).manifest).toEqual({
      'a.tf': { kind: 'managed', sha256: sha256('A\n') },
      'c.tf': previous['c.tf'],
    });
    expect(files(dir)).toEqual(['a.tf', 'b.tf/occupied', 'c.tf']);
    expect(read(dir, 'a.tf')).toBe('A\n');
    expect(read(dir, 'c.tf')).toBe('old c\n');
  });

  it('a parent path that is a file fails cleanly', () => {
    const dir = tmp();
    put(dir, 'terraform', 'a file, not a directory\n');
    const o: FileOutcome = { path: 'terraform/main.tf', kind: 'managed', action: 'create', text: 'x\n' };
    expect(() => applyOutcomes(dir, [o], {})).toThrow(ApplyError);
    expect(files(dir)).toEqual(['terraform']);
  });

  it('refuses, before writing anything, a path that escapes through a symlink', () => {
    const dir = tmp();
    const outside = tmp();
    symlinkSync(outside, join(dir, 'link'));
    const outcomes: FileOutcome[] = [
      { path: 'first.tf', kind: 'managed', action: 'create', text: 'x\n' },
      { path: 'link/evil.tf', kind: 'managed', action: 'create', text: 'x\n' },
    ];
    expect(() => applyOutcomes(dir, outcomes, {})).toThrow(/outside/);
    expect(existsSync(join(dir, 'first.tf'))).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('diskReader reports a directory where a file is planned, and treats a missing file as absent', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'd'));
    put(dir, 'f', 'x');
    expect(diskReader(dir)('missing')).toBeUndefined();
    expect(diskReader(dir)('f/under-a-file')).toBeUndefined();
    expect(() => diskReader(dir)('d')).toThrow(/is a directory/);
  });
});
