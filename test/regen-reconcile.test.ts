/** Table-driven rules of reconcile(): one row per rule of issue 5 / DESIGN "Regeneration". */
import { describe, expect, it } from 'vitest';
import type { FileKind } from '../src/plan/file-spec.js';
import { reconcile, type FileOutcome } from '../src/regen/reconcile.js';
import type { PlannedFile } from '../src/plan/file-spec.js';
import type { Manifest } from '../src/regen/state.js';
import { sha256 } from '../src/regen/text.js';

const OLD = 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n';
const NEW = OLD.replace('line 7', 'line 7 changed by option');
const USER_ELSEWHERE = OLD.replace('line 2', 'line 2 edited by user');
const USER_SAME = OLD.replace('line 7', 'line 7 edited by user');

function planned(path: string, kind: FileKind, text: string): PlannedFile {
  const spec = kind === 'patch' ? { path, kind, patch: () => ({ text }) } : { path, kind, template: `x/${path}.ejs` };
  return { spec, text };
}

interface Row {
  readonly name: string;
  readonly kind?: FileKind;
  readonly disk?: string;
  readonly recorded?: string; // text whose hash the manifest holds
  readonly base?: string;
  readonly force?: boolean;
  readonly expect: Partial<FileOutcome> & { action: FileOutcome['action'] };
}

function run(row: Row, text = NEW): { outcome: FileOutcome; reads: string[] } {
  const kind = row.kind ?? 'managed';
  const manifest: Manifest = row.recorded === undefined ? {} : { 'f.tf': { kind, sha256: sha256(row.recorded) } };
  const reads: string[] = [];
  const outcomes = reconcile(
    {
      dir: '/t',
      planned: [planned('f.tf', kind, text)],
      base: row.base === undefined ? undefined : new Map([['f.tf', row.base]]),
      manifest,
      force: row.force ?? false,
    },
    (p) => {
      reads.push(p);
      return p === 'f.tf' ? row.disk : undefined;
    },
  );
  expect(outcomes).toHaveLength(1);
  return { outcome: outcomes[0]!, reads };
}

const MERGED_ELSEWHERE = USER_ELSEWHERE.replace('line 7', 'line 7 changed by option');
const MARKED = OLD.replace(
  'line 7\n',
  '<<<<<<< yours (on disk)\nline 7 edited by user\n||||||| base\nline 7\n=======\nline 7 changed by option\n>>>>>>> generated\n',
);

const ROWS: Row[] = [
  {
    name: 'managed, absent → create',
    expect: { action: 'create', text: NEW, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'managed, byte-identical → unchanged, nothing to write',
    disk: NEW,
    recorded: NEW,
    expect: { action: 'unchanged', text: undefined, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'managed, identical but unrecorded (adopting) → unchanged and recorded',
    disk: NEW,
    expect: { action: 'unchanged', text: undefined, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'managed, unedited (disk hash = manifest) → update',
    disk: OLD,
    recorded: OLD,
    base: OLD,
    expect: { action: 'update', text: NEW },
  },
  {
    name: 'managed, unedited, no base needed → update',
    disk: OLD,
    recorded: OLD,
    expect: { action: 'update', text: NEW },
  },
  {
    name: 'edited elsewhere, verified base → merged',
    disk: USER_ELSEWHERE,
    recorded: OLD,
    base: OLD,
    expect: { action: 'merged', text: MERGED_ELSEWHERE, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'edited on the same lines → conflict with markers, records the generated hash',
    disk: USER_SAME,
    recorded: OLD,
    base: OLD,
    expect: { action: 'conflict', text: MARKED, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'edited on the same lines + force → forced with .orig',
    disk: USER_SAME,
    recorded: OLD,
    base: OLD,
    force: true,
    expect: { action: 'forced', text: NEW, backup: { path: 'f.tf.orig', text: USER_SAME } },
  },
  {
    name: 'clean merge is not overridden by force',
    disk: USER_ELSEWHERE,
    recorded: OLD,
    base: OLD,
    force: true,
    expect: { action: 'merged', text: MERGED_ELSEWHERE },
  },
  {
    name: 'base hash ≠ recorded hash → conflict, never a silent merge',
    disk: USER_ELSEWHERE,
    recorded: OLD,
    base: OLD.replace('line 1', 'other'),
    expect: { action: 'conflict' },
  },
  { name: 'no base → conflict', disk: USER_ELSEWHERE, recorded: OLD, expect: { action: 'conflict' } },
  {
    name: 'unrecorded file on disk with other content (adopt a Dockerfile) → conflict',
    disk: USER_ELSEWHERE,
    base: OLD,
    expect: { action: 'conflict' },
  },
  {
    name: 'unrecorded file on disk + force → forced',
    disk: USER_ELSEWHERE,
    force: true,
    expect: { action: 'forced', text: NEW, backup: { path: 'f.tf.orig', text: USER_ELSEWHERE } },
  },
  {
    name: 'edited, generator unchanged → unchanged (merge equals disk)',
    disk: USER_ELSEWHERE,
    recorded: NEW,
    base: NEW,
    expect: { action: 'unchanged', text: undefined, record: { kind: 'managed', sha256: sha256(NEW) } },
  },
  {
    name: 'unresolved markers from an earlier run stay a conflict, nothing rewritten',
    disk: MARKED,
    recorded: NEW,
    base: NEW,
    expect: { action: 'conflict', text: undefined },
  },
  {
    name: 'user resolved the conflict, no option change → unchanged (resolution kept)',
    disk: USER_SAME,
    recorded: NEW,
    base: NEW,
    expect: { action: 'unchanged', text: undefined },
  },
  {
    name: 'seed absent → create, recorded',
    kind: 'seed',
    expect: { action: 'create', text: NEW, record: { kind: 'seed', sha256: sha256(NEW) } },
  },
  {
    name: 'seed present, ours → keep-seed, record kept',
    kind: 'seed',
    disk: USER_SAME,
    recorded: OLD,
    expect: { action: 'keep-seed', text: undefined, record: { kind: 'seed', sha256: sha256(OLD) } },
  },
  {
    name: 'seed present, the user’s own → keep-seed, not recorded',
    kind: 'seed',
    disk: OLD,
    expect: { action: 'keep-seed', text: undefined, record: undefined },
  },
  {
    name: 'patch already applied → unchanged',
    kind: 'patch',
    disk: NEW,
    expect: { action: 'unchanged', text: undefined, record: { kind: 'patch', sha256: sha256(NEW) } },
  },
  { name: 'patch not yet applied → patch', kind: 'patch', disk: OLD, expect: { action: 'patch', text: NEW } },
];

describe('reconcile: one planned file', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const { outcome } = run(row);
    expect(outcome).toMatchObject({ path: 'f.tf', kind: row.kind ?? 'managed' });
    for (const [key, value] of Object.entries(row.expect))
      expect(outcome[key as keyof FileOutcome], key).toEqual(value);
  });

  it('a conflict text keeps every line of the user and of the new render', () => {
    const { outcome } = run({ name: '', disk: USER_ELSEWHERE, recorded: OLD, expect: { action: 'conflict' } });
    expect(outcome.text).toContain('line 2 edited by user');
    expect(outcome.text).toContain('line 7 changed by option');
    expect(outcome.detail).toMatch(/cannot verify/);
  });

  it('a patch carries its notes to the report', () => {
    const [o] = reconcile(
      {
        dir: '/t',
        planned: [
          {
            spec: { path: 'app.js', kind: 'patch', patch: () => ({ text: NEW }) },
            text: NEW,
            notes: ['drain it yourself'],
          },
        ],
        manifest: {},
        force: false,
      },
      () => OLD,
    );
    expect(o).toMatchObject({ action: 'patch', detail: 'drain it yourself' });
  });

  it('an existing file this generator never wrote is a conflict, and says so', () => {
    const [o] = reconcile(
      { dir: '/t', planned: [planned('Dockerfile', 'managed', NEW)], manifest: {}, force: false },
      () => USER_SAME,
    );
    expect(o!.action).toBe('conflict');
    expect(o!.detail).toMatch(/already there and was not written by this generator/);
  });

  it('picks a free .orig name instead of overwriting an older, different backup', () => {
    const reads: Record<string, string> = {
      'f.tf': USER_SAME,
      'f.tf.orig': 'older backup\n',
      'f.tf.orig.1': 'another\n',
    };
    const [o] = reconcile(
      {
        dir: '/t',
        planned: [planned('f.tf', 'managed', NEW)],
        base: new Map([['f.tf', OLD]]),
        manifest: { 'f.tf': { kind: 'managed', sha256: sha256(OLD) } },
        force: true,
      },
      (p) => reads[p],
    );
    expect(o!.backup).toEqual({ path: 'f.tf.orig.2', text: USER_SAME });
  });

  it('a patch whose anchor was not found is reported with its instructions', () => {
    const [o] = reconcile(
      {
        dir: '/t',
        planned: [
          {
            spec: { path: 'src/app.ts', kind: 'patch', patch: () => ({ skipReason: 'x' }) },
            skipReason: 'add app.get("/health") yourself',
          },
        ],
        manifest: {},
        force: false,
      },
      () => 'x',
    );
    expect(o).toEqual({
      path: 'src/app.ts',
      kind: 'patch',
      action: 'patch-skipped',
      detail: 'add app.get("/health") yourself',
    });
  });

  it('gives a dry-run diff from disk to the text to write', () => {
    const { outcome } = run({ name: '', disk: OLD, recorded: OLD, expect: { action: 'update' } });
    expect(outcome.diff).toContain('-line 7\n+line 7 changed by option\n');
  });

  it('rejects a duplicated or escaping planned path (a plan bug)', () => {
    const p = planned('a.tf', 'managed', 'x\n');
    expect(() => reconcile({ dir: '/t', planned: [p, p], manifest: {}, force: false }, () => undefined)).toThrow(
      /planned twice/,
    );
    expect(() =>
      reconcile(
        { dir: '/t', planned: [planned('../a.tf', 'managed', 'x\n')], manifest: {}, force: false },
        () => undefined,
      ),
    ).toThrow(/not a relative path/);
  });
});

describe('reconcile: orphans (recorded, no longer planned)', () => {
  const disk: Record<string, string> = { 'terraform/codedeploy.tf': OLD, 'edited.tf': USER_SAME, 'seed.sql': OLD };
  const manifest: Manifest = {
    'terraform/codedeploy.tf': { kind: 'managed', sha256: sha256(OLD) },
    'edited.tf': { kind: 'managed', sha256: sha256(OLD) },
    'gone.tf': { kind: 'managed', sha256: sha256(OLD) },
    'seed.sql': { kind: 'seed', sha256: sha256(OLD) },
    '../outside.tf': { kind: 'managed', sha256: sha256(OLD) },
  };
  const reads: string[] = [];
  const outcomes = reconcile({ dir: '/t', planned: [], manifest, force: true }, (p) => {
    reads.push(p);
    return disk[p];
  });
  const by = (p: string): FileOutcome | undefined => outcomes.find((o) => o.path === p);

  it('deletes an unedited orphan', () => {
    expect(by('terraform/codedeploy.tf')).toMatchObject({ action: 'delete-orphan' });
    expect(by('terraform/codedeploy.tf')!.record).toBeUndefined();
  });
  it('keeps (and keeps recording) an edited orphan, even with --force', () => {
    expect(by('edited.tf')).toMatchObject({ action: 'keep-orphan', record: manifest['edited.tf'] });
    expect(by('edited.tf')!.detail).toMatch(/you edited it/);
  });
  it('drops an orphan that is already gone, silently', () => expect(by('gone.tf')).toBeUndefined());
  it('never touches a seed that is no longer planned', () => expect(by('seed.sql')).toBeUndefined());
  it('never reads or deletes a path outside the target directory', () => {
    expect(by('../outside.tf')).toMatchObject({ action: 'keep-orphan' });
    expect(by('../outside.tf')!.record).toBeUndefined();
    expect(reads).not.toContain('../outside.tf');
  });
});

describe('diffs are computed only when asked for (--dry-run)', () => {
  const input = (diffs?: boolean) => ({
    dir: '/t',
    planned: [planned('a.tf', 'managed', NEW), planned('b.tf', 'managed', NEW)],
    manifest: { 'b.tf': { kind: 'managed' as const, sha256: sha256(OLD) } },
    force: false,
    diffs,
  });
  const disk = (p: string): string | undefined => (p === 'b.tf' ? OLD : undefined);
  it('by default every change carries its unified diff', () => {
    expect(reconcile(input(), disk).map((o) => [o.action, o.diff?.split('\n')[0]])).toEqual([
      ['create', '--- /dev/null'],
      ['update', '--- a/b.tf'],
    ]);
  });
  it('with diffs: false the outcomes are the same, without diffs', () => {
    const withDiffs = reconcile(input(), disk);
    const without = reconcile(input(false), disk);
    expect(without.map((o) => o.diff)).toEqual([undefined, undefined]);
    expect(without).toEqual(withDiffs.map(({ diff: _diff, ...rest }) => ({ ...rest, diff: undefined })));
  });
});
