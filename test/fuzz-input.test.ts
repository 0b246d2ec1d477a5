/**
 * Seeded input fuzz through the CLI's public entry (runCli): every option of the table × every class
 * of bad value or flag misuse, hostile saved answers, hostile target folders, and every valid edge
 * value. Invalid → exit 1, one line per problem naming the flag (or the file), nothing written, no
 * stack. Valid → exit 0 and a tree whose YAML, JSON and HCL parse, with YAML types as in a reference
 * render. FUZZ_SEED reproduces a run (the seed is in every failure message); FUZZ_SCALE repeats the
 * randomised classes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { exampleFlags } from '../src/options/example.js';
import { resolveOptions } from '../src/options/resolve.js';
import { OPTION_KEYS, type OptionKey } from '../src/options/table.js';
import { MAX_WAIT_WINDOWS_MINUTES, MIN_CANARY_MINUTES } from '../src/model/timeline.js';
import { STATE_KEY } from '../src/regen/state.js';
import { ACCOUNT_ARGS, cli, listFiles, tempDir } from './support/cli.js';
import {
  FUZZ_SCALE,
  fuzzSeed,
  parseTree,
  problemLines,
  reportProblem,
  snapshot,
  snapshotDiff,
  yamlTypeChanges,
} from './support/fuzz.js';
import {
  invalidFlagCases,
  numericCandidates,
  sampleValue,
  specOf,
  YAML_WORDS,
  type InputCase,
} from './support/fuzz-input-cases.js';
import { mulberry32, pick } from './support/regen-random.js';

const SEED = fuzzSeed(16_2026);
const rnd = mulberry32(SEED);
const BASE = ['--yes', '--example'];
const stats = new Map<string, { run: number; failed: number }>();
/** The issue's measures: each must stay 0. */
const measures = {
  crashes: 0,
  'partial writes': 0,
  'invalid accepted': 0,
  'valid rejected': 0,
  'wrong or no flag named': 0,
  'not one line per problem': 0,
};
let reference = '';
let referenceFiles: string[] = [];

function count(cls: string, ok: boolean): void {
  const s = stats.get(cls) ?? { run: 0, failed: 0 };
  stats.set(cls, { run: s.run + 1, failed: s.failed + (ok ? 0 : 1) });
}

/** Run `argv` in `cwd` and check the invalid-input contract; returns the problems found (empty = pass). */
async function expectRefused(c: InputCase, cwd: string, argv: readonly string[], where: string): Promise<string[]> {
  const before = snapshot(cwd);
  const r = await cli([...argv], cwd).catch((e: Error) => ({ code: -1, stdout: '', stderr: `CRASH ${e.stack}` }));
  const bad: string[] = [];
  if (r.code !== 1) bad.push(`exit ${r.code}, expected 1 (invalid accepted or crash)`);
  if (r.code === 0 || r.code === 2) measures['invalid accepted'] += 1;
  const shape = reportProblem(r.stderr);
  if (shape) bad.push(shape);
  if (r.code === -1 || shape?.includes('stack')) measures.crashes += 1;
  else if (shape) measures['not one line per problem'] += 1;
  const lines = problemLines(r.stderr);
  if (!lines.some((l) => c.names.some((n) => l.includes(n)))) {
    bad.push(`no problem line names ${c.names.join(' or ')}`);
    measures['wrong or no flag named'] += 1;
  }
  // One wrong value is one problem: no other line may blame a flag or file the case did not touch.
  const stray = lines.filter((l) => !c.names.some((n) => l.includes(n)));
  if (stray.length && !c.cls.endsWith('-refused')) {
    bad.push(`a problem line names something else: ${stray.join(' | ')}`);
    measures['wrong or no flag named'] += 1;
  }
  const changed = snapshotDiff(before, snapshot(cwd));
  if (changed.length) {
    bad.push(`partial write: ${changed.slice(0, 5).join(', ')}`);
    measures['partial writes'] += 1;
  }
  count(c.cls, bad.length === 0);
  return bad.map((b) => `seed=${SEED} ${where} [${c.cls}] ${JSON.stringify(argv)}: ${b}\n${r.stderr.slice(0, 600)}`);
}

beforeAll(async () => {
  reference = join(tempDir('ccp-fuzz-ref-'), 'out');
  const r = await cli([reference, ...BASE], '/');
  expect(r.code, r.stderr).toBe(0);
  referenceFiles = listFiles(reference);
}, 120_000);

afterAll(() => {
  const rows = [...stats].map(
    ([cls, s]) => `${cls.padEnd(28)} ${String(s.run).padStart(5)} ${s.failed ? `FAILED ${s.failed}` : ''}`,
  );
  const total = [...stats.values()].reduce((n, s) => n + s.run, 0);
  const m = Object.entries(measures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`input fuzz (seed ${SEED}): ${total} cases — ${m}\n${rows.join('\n')}`);
});

describe(`input fuzz (seed ${SEED})`, () => {
  it('refuses every bad flag value and flag misuse of every option', async () => {
    const problems: string[] = [];
    for (let round = 0; round < FUZZ_SCALE; round++) {
      for (const c of invalidFlagCases(rnd)) {
        const cwd = tempDir('ccp-fuzz-');
        // The case's flags go first or last at random: position must not matter.
        const argv = rnd() < 0.5 ? ['out', ...BASE, ...c.argv] : [...c.argv, ...BASE, 'out'];
        problems.push(
          ...(await expectRefused(
            c,
            cwd,
            c.cls === 'missing-value' ? ['out', ...BASE, ...c.argv] : argv,
            `round ${round}`,
          )),
        );
      }
    }
    expect(problems.slice(0, 20).join('\n\n')).toBe('');
  }, 300_000);
});

/** A copy of the reference tree with its `.yo-rc.json` entry changed by `edit`. */
function withState(edit: (entry: Record<string, unknown>, json: Record<string, unknown>) => unknown): string {
  const dir = join(tempDir('ccp-fuzz-saved-'), 'repo');
  cpSync(reference, dir, { recursive: true });
  const file = join(dir, '.yo-rc.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out = edit(json[STATE_KEY] as Record<string, unknown>, json);
  writeFileSync(file, typeof out === 'string' ? out : JSON.stringify(out ?? json, null, 2));
  return dir;
}

const HASH = 'a'.repeat(64);
/** Whole-file and structural damage to `.yo-rc.json` (each must be refused naming the file). */
const STATE_DAMAGE: Record<string, (e: Record<string, unknown>, j: Record<string, unknown>) => unknown> = {
  'invalid-json': () => '{ "create-canary-pipeline": { ',
  'empty-file': () => '',
  'nul-bytes': () => '\0\0\0',
  'top-level-array': () => '[1, 2]',
  'entry-not-object': (_e, j) => ({ ...j, [STATE_KEY]: 'yes' }),
  'schema-too-new': (e) => {
    e.schemaVersion = 99;
  },
  'schema-wrong-type': (e) => {
    e.schemaVersion = '1';
  },
  'version-wrong-type': (e) => {
    e.generatorVersion = 5;
  },
  'version-not-semver': (e) => {
    e.generatorVersion = '../x';
  },
  'unknown-entry-key': (e) => {
    e.hooks = { postinstall: 'rm -rf /' };
  },
  'answers-array': (e) => {
    e.answers = [];
  },
  'unknown-answer': (e) => {
    (e.answers as Record<string, unknown>).shellCommand = 'id';
  },
  'manifest-not-object': (e) => {
    e.manifest = 'x';
  },
  'manifest-kind': (e) => {
    (e.manifest as Record<string, unknown>).Dockerfile = { kind: 'owned', sha256: HASH };
  },
  'manifest-hash': (e) => {
    (e.manifest as Record<string, unknown>).Dockerfile = { kind: 'managed', sha256: 'abc' };
  },
};
const HOSTILE_PATHS = [
  '../../etc/x',
  '/etc/passwd',
  'a/../../b',
  '.git/config',
  '.git/hooks/pre-commit',
  'C:/x',
  'a\\..\\b',
  '',
  'a//b',
  './x',
  '.yo-rc.json',
  '.create-canary-pipeline/base.json.gz',
  '.create-canary-pipeline.journal',
];

/** A wrong-typed or bad saved value for `key`, as JSON. */
function badSaved(key: OptionKey): unknown {
  const kind = specOf(key).kind;
  const choices: Record<string, unknown[]> = {
    string: [42, true, ['x'], `${sampleValue(key)}\n`, `${sampleValue(key)}$(id)`],
    enum: [1, 'nope', [sampleValue(key)]],
    list: [7, 'subnet-x', [1, 2], { a: 1 }],
    integer: ['abc', '0x10', 1.5, -99999, true, '1e3'],
    number: ['abc', '0b11', 1e9, false],
    boolean: ['maybe', 1, 'off', null],
  };
  const list = choices[kind]!;
  return list[pick(rnd, list.length)];
}

describe(`saved answers fuzz (seed ${SEED})`, () => {
  it('refuses every damaged or hostile .yo-rc.json, naming the file, writing nothing', async () => {
    const problems: string[] = [];
    const cases: Array<[string, string]> = [];
    for (const [cls, edit] of Object.entries(STATE_DAMAGE)) cases.push([cls, withState(edit)]);
    for (const p of HOSTILE_PATHS)
      cases.push([
        'manifest-hostile-path',
        withState((e) => {
          (e.manifest as Record<string, unknown>)[p] = { kind: 'managed', sha256: HASH };
        }),
      ]);
    for (let round = 0; round < FUZZ_SCALE; round++) {
      for (const key of OPTION_KEYS)
        cases.push([
          `saved-bad-${specOf(key).kind}`,
          withState((e) => {
            (e.answers as Record<string, unknown>)[key] = badSaved(key);
          }),
        ]);
    }
    for (const [cls, dir] of cases)
      problems.push(...(await expectRefused({ cls, argv: ['--yes'], names: ['.yo-rc.json'] }, dir, ['--yes'], dir)));
    expect(problems.slice(0, 20).join('\n\n')).toBe('');
  }, 300_000);
});

const plannedDirs = (): string[] => [
  ...new Set(
    referenceFiles.map((f) => dirname(f)).filter((d) => d !== '.' && !d.startsWith('.create-canary-pipeline')),
  ),
];
const plannedFiles = (): string[] =>
  referenceFiles.filter((f) => !f.startsWith('.create-canary-pipeline') && f !== '.yo-rc.json');
const randomOf = <T>(list: readonly T[]): T => list[pick(rnd, list.length)]!;

/** A fresh or a generated target (random), prepared by `damage`; returns [cwd, argv, names]. */
function targetCase(damage: (root: string) => string): [string, string[], string[]] {
  const cwd = tempDir('ccp-fuzz-target-');
  const generated = rnd() < 0.5;
  const root = join(cwd, 'out');
  if (generated) cpSync(reference, root, { recursive: true });
  else mkdirSync(root);
  const name = damage(root);
  // A re-run changes an option so that files must be written; a first run writes everything.
  return [cwd, ['out', ...BASE, ...(generated ? ['--canary-percent', '20'] : [])], [name]];
}

function replaceWith(root: string, path: string, make: (full: string) => void): string {
  rmSync(join(root, path), { recursive: true, force: true });
  mkdirSync(dirname(join(root, path)), { recursive: true });
  make(join(root, path));
  return path;
}

const outside = (): string => tempDir('ccp-fuzz-outside-');
const TARGET_DAMAGE: Record<string, (root: string) => string> = {
  'symlink-dir-out-of-tree': (root) => replaceWith(root, randomOf(plannedDirs()), (f) => symlinkSync(outside(), f)),
  'symlink-file-out-of-tree': (root) =>
    replaceWith(root, randomOf(plannedFiles()), (f) => {
      const o = join(outside(), 'x');
      writeFileSync(o, 'outside\n');
      symlinkSync(o, f);
    }),
  'dangling-symlink': (root) =>
    replaceWith(root, randomOf(plannedFiles()), (f) => symlinkSync(join(root, 'nowhere', 'x'), f)),
  'directory-where-a-file-goes': (root) => replaceWith(root, randomOf(plannedFiles()), (f) => mkdirSync(f)),
  'file-where-a-folder-goes': (root) =>
    replaceWith(root, randomOf(plannedDirs()).split('/')[0]!, (f) => writeFileSync(f, 'x\n')),
};

const CHANGE = ['--canary-percent', '20', '--deployment-engine', 'codedeploy', '--language', 'js'];

/** Top-level folders in which CHANGE writes something (a read-only folder the run leaves alone is no problem). */
async function foldersChanged(): Promise<string[]> {
  const dir = join(tempDir('ccp-fuzz-chg-'), 'out');
  cpSync(reference, dir, { recursive: true });
  const before = snapshot(dir);
  await cli(['.', ...BASE, ...CHANGE], dir);
  return [
    ...new Set(
      snapshotDiff(before, snapshot(dir))
        .filter((p) => p.includes('/'))
        .map((p) => p.split('/')[0]!),
    ),
  ].filter((d) => !d.startsWith('.create'));
}

/** Run as another user when root (root writes anywhere); otherwise chmod is enough. */
function notWritableCase(folders: readonly string[]): string[] {
  const cwd = tempDir('ccp-fuzz-ro-');
  const root = join(cwd, 'out');
  cpSync(reference, root, { recursive: true });
  const dir = randomOf(folders);
  const bin = join(new URL('..', import.meta.url).pathname, 'bin/create-canary-pipeline.js');
  const before = snapshot(cwd);
  let r: { status: number | null; stderr: string };
  if (process.getuid?.() === 0) {
    chmodSync(cwd, 0o755);
    spawnSync('chown', ['-R', 'nobody', root]);
    spawnSync('chown', ['-R', 'root', join(root, dir)]);
    spawnSync('chmod', ['-R', 'a+rX', root]);
    const before2 = snapshot(cwd);
    r = spawnSync(process.execPath, [bin, 'out', ...BASE, ...CHANGE], {
      cwd,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, CI: '', HOME: cwd },
    });
    before.clear();
    for (const [k, v] of before2) before.set(k, v);
  } else {
    chmodSync(join(root, dir), 0o555);
    r = spawnSync(process.execPath, [bin, 'out', ...BASE, ...CHANGE], { cwd, encoding: 'utf8' });
  }
  const bad: string[] = [];
  if (r.status !== 1) bad.push(`exit ${r.status}`);
  const shape = reportProblem(r.stderr);
  if (shape) bad.push(shape);
  if (!problemLines(r.stderr).some((l) => l.includes(dir))) bad.push(`no problem line names ${dir}`);
  const changed = snapshotDiff(before, snapshot(cwd));
  if (changed.length) bad.push(`partial write: ${changed.slice(0, 5).join(', ')}`);
  count('not-writable', bad.length === 0);
  return bad.map((b) => `seed=${SEED} [not-writable ${dir}]: ${b}\n${r.stderr}`);
}

describe(`target folder fuzz (seed ${SEED})`, () => {
  it('refuses a target that is a file, under a file, not writable, or holds links out, folders where files go', async () => {
    const problems: string[] = [];
    const file = tempDir('ccp-fuzz-file-');
    writeFileSync(join(file, 'out'), 'x\n');
    problems.push(
      ...(await expectRefused({ cls: 'target-is-a-file', argv: [], names: ['out'] }, file, ['out', ...BASE], 'file')),
    );
    problems.push(
      ...(await expectRefused(
        { cls: 'target-under-a-file', argv: [], names: ['out'] },
        file,
        ['out/sub', ...BASE],
        'under',
      )),
    );
    problems.push(
      ...(await expectRefused(
        { cls: 'control-in-target-name', argv: [], names: ['target directory'] },
        tempDir('ccp-fuzz-'),
        ['new\nservice', ...BASE],
        'name',
      )),
    );
    const folders = await foldersChanged();
    expect(folders.length).toBeGreaterThan(1);
    for (let round = 0; round < 2 * FUZZ_SCALE; round++) {
      for (const [cls, damage] of Object.entries(TARGET_DAMAGE)) {
        const [cwd, argv, names] = targetCase(damage);
        problems.push(...(await expectRefused({ cls, argv, names }, cwd, argv, `round ${round}`)));
      }
      problems.push(...notWritableCase(folders));
    }
    expect(problems.slice(0, 20).join('\n\n')).toBe('');
  }, 300_000);
});

type Verdict = { ok: true; values: Record<string, unknown> } | { ok: false; flags: string[] };

/** The option table's own judgement of a whole command line (defaults and cross-field rules included). */
function oracle(argv: readonly string[], folderName: string): Verdict {
  const args = parseCli(argv);
  const flags = args.example ? { ...exampleFlags(args.flags.region as string | undefined), ...args.flags } : args.flags;
  try {
    return {
      ok: true,
      values: resolveOptions({ flags, facts: { folderName }, mode: 'yes' }).options as unknown as Record<
        string,
        unknown
      >,
    };
  } catch (e) {
    const problems = (e as { problems?: Array<{ key: string; message: string }> }).problems;
    if (!problems) throw e;
    return {
      ok: false,
      flags: problems.flatMap((p) =>
        p.key === 'combination'
          ? [...p.message.matchAll(/--[a-z-]+/g)].map((m) => m[0])
          : [`--${specOf(p.key as OptionKey).flag}`],
      ),
    };
  }
}

interface EdgeCase {
  readonly cls: string;
  readonly key: OptionKey;
  readonly argv: string[];
}

/** Valid-looking values per option: every choice, range ends from the help, YAML words, both booleans. */
function edgeCases(): EdgeCase[] {
  const out: EdgeCase[] = [];
  for (const key of OPTION_KEYS) {
    const spec = specOf(key);
    const flag = `--${spec.flag}`;
    for (const c of spec.choices ?? []) out.push({ cls: 'every-choice', key, argv: [flag, c] });
    if (spec.kind === 'integer' || spec.kind === 'number')
      for (const n of numericCandidates(key)) out.push({ cls: 'range-edge', key, argv: [flag, String(n)] });
    if (spec.kind === 'string' && !spec.choices)
      for (const w of YAML_WORDS) out.push({ cls: 'yaml-word', key, argv: [flag, w] });
    if (spec.kind === 'boolean') out.push({ cls: 'boolean', key, argv: [flag] });
    if (spec.negatedFlag) out.push({ cls: 'negated', key, argv: [`--${spec.negatedFlag}`] });
  }
  return out;
}

/** A range end refused only because of another option's default: try the values that option's error names. */
function repaired(c: EdgeCase, verdict: Verdict): string[] | undefined {
  if (verdict.ok) return undefined;
  const other = verdict.flags.find((f) => f !== c.argv[0]);
  if (!other) return undefined;
  const message = (() => {
    try {
      resolveOptions({
        flags: { ...exampleFlags(), ...parseCli([...BASE, ...c.argv]).flags },
        facts: { folderName: 'out' },
        mode: 'yes',
      });
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  })();
  for (const n of message.match(/\b\d+\b/g) ?? []) {
    const argv = [...c.argv, other, n];
    if (oracle([...BASE, ...argv], 'out').ok) return argv;
  }
  return undefined;
}

async function expectGenerated(c: EdgeCase, argv: string[], values: Record<string, unknown>): Promise<string[]> {
  const cwd = tempDir('ccp-fuzz-valid-');
  const r = await cli(['out', ...BASE, ...argv], cwd).catch((e: Error) => ({
    code: -1,
    stdout: '',
    stderr: `CRASH ${e.stack}`,
  }));
  const bad: string[] = [];
  if (r.code !== 0) {
    bad.push(`exit ${r.code} for a value the option table accepts (valid rejected): ${r.stderr.slice(0, 400)}`);
    measures[r.code === -1 ? 'crashes' : 'valid rejected'] += 1;
  } else {
    const dir = join(cwd, 'out');
    const files = listFiles(dir);
    bad.push(...(await parseTree(dir, files)), ...yamlTypeChanges(reference, dir, files));
    const saved = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))[STATE_KEY].answers[c.key];
    if (JSON.stringify(saved) !== JSON.stringify(values[c.key]))
      bad.push(`saved ${c.key}=${JSON.stringify(saved)}, resolved ${JSON.stringify(values[c.key])}`);
  }
  count(c.cls, bad.length === 0);
  return bad.map((b) => `seed=${SEED} [${c.cls}] ${JSON.stringify(argv)}: ${b}`);
}

describe(`valid edge values (seed ${SEED})`, () => {
  it('every choice, range end and YAML word the table accepts generates a tree that parses; what it refuses is refused', async () => {
    const problems: string[] = [];
    for (const c of edgeCases()) {
      const verdict = oracle([...BASE, ...c.argv], 'out');
      if (verdict.ok) {
        problems.push(...(await expectGenerated(c, c.argv, verdict.values)));
        continue;
      }
      const fixed = repaired(c, verdict);
      if (fixed)
        problems.push(
          ...(await expectGenerated(
            { ...c, cls: `${c.cls}+partner` },
            fixed,
            (oracle([...BASE, ...fixed], 'out') as { values: Record<string, unknown> }).values,
          )),
        );
      problems.push(
        ...(await expectRefused(
          { cls: `${c.cls}-refused`, argv: c.argv, names: verdict.flags },
          tempDir('ccp-fuzz-'),
          ['out', ...BASE, ...c.argv],
          'edge',
        )),
      );
    }
    expect(problems.slice(0, 20).join('\n\n')).toBe('');
  }, 600_000);

  it('every range end --help (and so the README) states is accepted in some setting; one step past the widest is refused in all', () => {
    const problems: string[] = [];
    // Some settings: the defaults, each enum choice, the widest canary (all traffic for the longest window,
    // which the detection-power rule needs at the lowest traffic the help states).
    const widest = [
      '--canary-percent',
      '100',
      '--canary-minutes',
      String(MAX_WAIT_WINDOWS_MINUTES),
      '--rollback-window-minutes',
      '0',
    ];
    // And the shortest canary with all the traffic the help allows (the longest rollback window needs it).
    const shortest = [
      '--canary-percent',
      '100',
      '--canary-minutes',
      String(MIN_CANARY_MINUTES),
      '--expected-rpm',
      '1000000',
    ];
    const settings = [
      [],
      widest,
      shortest,
      ...OPTION_KEYS.filter((k) => specOf(k).kind === 'enum').flatMap((k) =>
        specOf(k).choices!.map((c) => [`--${specOf(k).flag}`, c]),
      ),
    ];
    const accepted = (argv: string[]): boolean =>
      settings
        .filter((s) => !s.includes(argv[0]!))
        .some((s) => {
          const c: EdgeCase = { cls: 'help', key: 'serviceName', argv: [...argv, ...s] };
          const v = oracle([...BASE, ...c.argv], 'out');
          return v.ok || repaired(c, v) !== undefined;
        });
    for (const key of OPTION_KEYS.filter((k) => ['integer', 'number'].includes(specOf(k).kind))) {
      const spec = specOf(key);
      const step = spec.kind === 'number' ? 0.1 : 1;
      const ends = [...spec.help.matchAll(/(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)/g)].flatMap((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
      for (const end of ends) {
        const ok = accepted([`--${spec.flag}`, String(end)]);
        count('help-range-end', ok);
        if (!ok)
          problems.push(`--${spec.flag} ${end}: --help says "${spec.help}", but ${end} is refused in every setting`);
      }
      if (ends.length === 0) continue;
      const beyond = Math.round((Math.max(...ends) + step) * 10) / 10;
      const refused = !accepted([`--${spec.flag}`, String(beyond)]);
      count('help-range-beyond', refused);
      if (!refused) problems.push(`--${spec.flag} ${beyond}: above every range --help states, but accepted`);
    }
    expect(problems.join('\n')).toBe('');
  });

  it('defaults are judged like given values: a folder name that is no valid service name is refused, naming --service-name', async () => {
    const problems: string[] = [];
    for (const folder of [
      'sg-web',
      'sg-api-x',
      'null',
      'Yes',
      '123',
      'a',
      'my_service',
      'über-api',
      'x'.repeat(40),
      '-lead',
      'API',
    ]) {
      const cwd = tempDir('ccp-fuzz-folder-');
      // No --example: the service name must come from the folder.
      const argv = ['--yes', ...ACCOUNT_ARGS, '--', folder];
      const verdict = oracle(argv, folder);
      if (!verdict.ok) {
        problems.push(
          ...(await expectRefused(
            { cls: 'default-from-folder-refused', argv, names: ['--service-name'] },
            cwd,
            argv,
            folder,
          )),
        );
        continue;
      }
      const r = await cli(argv, cwd);
      const saved =
        r.code === 0
          ? JSON.parse(readFileSync(join(cwd, folder, '.yo-rc.json'), 'utf8'))[STATE_KEY].answers.serviceName
          : undefined;
      const ok = r.code === 0 && saved === verdict.values.serviceName;
      count('default-from-folder', ok);
      if (!ok)
        problems.push(
          `seed=${SEED} folder ${folder}: exit ${r.code}, saved ${saved}, expected ${String(verdict.values.serviceName)}: ${r.stderr}`,
        );
    }
    expect(problems.join('\n\n')).toBe('');
  }, 120_000);
});
