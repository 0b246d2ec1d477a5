/**
 * The migration linter: the real squawk binary (npm squawk-cli at the exact version the generated
 * test job runs through npx) with the generated .squawk.toml passes the example migration and fails each
 * change the expand/contract rules forbid in one deploy; and the test job's lint step, run with bash in
 * real git repositories, lints exactly the migrations a push or a pull request adds or changes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTree } from './support/render-tree.js';
import type { RenderContext } from '../src/context/build-context.js';
import { installSquawk } from './support/squawk.js';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

const SQUAWK_INSTALL = installSquawk();
const SQUAWK = SQUAWK_INSTALL.bin;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A rendered new repo with a database (squawk on), node_modules linked to the installed squawk-cli (npx finds it there). */
function repo(flags: Record<string, string> = {}): { dir: string; ctx: RenderContext; step: Step; checkout: Step } {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-squawk-'));
  dirs.push(dir);
  const { ctx } = renderTree(dir, flags);
  symlinkSync(SQUAWK_INSTALL.nodeModules, join(dir, 'node_modules'), 'dir');
  const wf = parse(readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8')) as {
    jobs: { test: { steps: Step[] } };
  };
  const steps = wf.jobs.test.steps;
  const step = steps.find((s) => s.name === 'Lint new and changed migrations (squawk)');
  if (!step?.run) throw new Error('the test job has no squawk step');
  return { dir, ctx, step, checkout: steps[0]! };
}

function squawk(dir: string, files: string[]): { code: number; out: string } {
  const r = spawnSync(SQUAWK, ['--reporter', 'gcc', ...files], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const DESTRUCTIVE: ReadonlyArray<readonly [string, string, string]> = [
  [
    'a NOT NULL column without a default',
    'ALTER TABLE example_notes ADD COLUMN author text NOT NULL;',
    'adding-required-field',
  ],
  ['a column rename', 'ALTER TABLE example_notes RENAME COLUMN body TO text;', 'renaming-column'],
  ['a column drop', 'ALTER TABLE example_notes DROP COLUMN IF EXISTS body;', 'ban-drop-column'],
  ['a column type change', 'ALTER TABLE example_notes ALTER COLUMN body TYPE varchar(200);', 'changing-column-type'],
  ['a table rename', 'ALTER TABLE example_notes RENAME TO notes;', 'renaming-table'],
  ['a table drop', 'DROP TABLE IF EXISTS example_notes;', 'ban-drop-table'],
];

describe('squawk with the generated .squawk.toml', () => {
  let dir = '';
  beforeAll(() => {
    dir = repo().dir;
  });

  it('is the version the generated test job pins, and its binary ships inside npm packages (no install script downloads it)', () => {
    const version = spawnSync(SQUAWK, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(version.replace(/^squawk /, '')).toBe(SQUAWK_INSTALL.version);
    for (const pkg of ['squawk-cli', `@squawk-cli/${process.platform}-${process.arch}`]) {
      const manifest = JSON.parse(readFileSync(join(SQUAWK_INSTALL.nodeModules, pkg, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      for (const hook of ['preinstall', 'install', 'postinstall'])
        expect(manifest.scripts?.[hook], `${pkg} ${hook}`).toBeUndefined();
    }
  });

  it('passes the generated example migration', () => {
    const r = squawk(dir, ['migrations/001_example_expand.sql']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('passes an expand migration (new nullable column, new table)', () => {
    writeFileSync(
      join(dir, 'migrations/002_expand.sql'),
      'ALTER TABLE example_notes ADD COLUMN IF NOT EXISTS author text;\nCREATE TABLE IF NOT EXISTS tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);\n',
    );
    expect(squawk(dir, ['migrations/002_expand.sql'])).toEqual({ code: 0, out: '' });
  });

  it.each(DESTRUCTIVE)('fails %s (%s) with rule %s', (_what, sql, rule) => {
    writeFileSync(join(dir, 'migrations/003_change.sql'), `${sql}\n`);
    const r = squawk(dir, ['migrations/003_change.sql']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(rule);
  });

  it('passes a contract step that names the rule it knowingly breaks, as README and .squawk.toml say', () => {
    writeFileSync(
      join(dir, 'migrations/004_contract.sql'),
      '-- squawk-ignore ban-drop-column\nALTER TABLE example_notes DROP COLUMN IF EXISTS body;\n',
    );
    expect(squawk(dir, ['migrations/004_contract.sql']).code).toBe(0);
    expect(readFileSync(join(dir, '.squawk.toml'), 'utf8')).toContain('-- squawk-ignore ban-drop-column');
  });

  it('asks for CONCURRENTLY on an index of an existing table, and accepts the ignore .squawk.toml documents for a small one', () => {
    writeFileSync(
      join(dir, 'migrations/005_index.sql'),
      'CREATE INDEX IF NOT EXISTS notes_body ON example_notes (body);\n',
    );
    expect(squawk(dir, ['migrations/005_index.sql']).out).toContain('require-concurrent-index-creation');
    writeFileSync(
      join(dir, 'migrations/005_index.sql'),
      '-- squawk-ignore require-concurrent-index-creation\nCREATE INDEX IF NOT EXISTS notes_body ON example_notes (body);\n',
    );
    expect(squawk(dir, ['migrations/005_index.sql']).code).toBe(0);
    expect(readFileSync(join(dir, '.squawk.toml'), 'utf8')).toContain(
      '-- squawk-ignore require-concurrent-index-creation',
    );
  });

  it('would fail the example on the timeout rules without .squawk.toml (the config is what makes it pass)', () => {
    const bare = mkdtempSync(join(tmpdir(), 'ccp-squawk-bare-'));
    dirs.push(bare);
    writeFileSync(join(bare, 'x.sql'), 'ALTER TABLE example_notes ADD COLUMN IF NOT EXISTS author text;\n');
    const r = squawk(bare, ['x.sql']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/require-(lock|statement)-timeout/);
  });
});

/** A git repository of the generated tree; `git` runs with a fixed identity. */
function gitRepo(dir: string): (...args: string[]) => string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const git = (...args: string[]): string => {
    const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git('init', '-q', '-b', 'main');
  mkdirSync(join(dir, '.git', 'info'), { recursive: true });
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '-A');
  git('commit', '-qm', 'generated');
  return git;
}

describe('the test job step (bash, real git history, real squawk)', () => {
  const run = (r: ReturnType<typeof repo>, env: Record<string, string>): { code: number; out: string } => {
    const res = spawnSync('bash', ['-e', '-c', r.step.run!], {
      cwd: r.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: tmpdir(), ...env },
    });
    return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
  };
  const write = (r: ReturnType<typeof repo>, file: string, text: string): void =>
    writeFileSync(join(r.dir, file), text);

  it('reads the event and the commit before the push from env (never ${{ }} in the script), on a full-history checkout', () => {
    const r = repo();
    expect(r.step.env).toEqual({ EVENT_NAME: '${{ github.event_name }}', BEFORE_SHA: '${{ github.event.before }}' });
    expect(r.checkout.with?.['fetch-depth']).toBe(0);
  });

  it('first push of a new repository: lints every migration, the example passes', () => {
    const r = repo();
    gitRepo(r.dir);
    const out = run(r, { EVENT_NAME: 'push', BEFORE_SHA: '0000000000000000000000000000000000000000' });
    expect(out.out).toContain('Linting migrations/001_example_expand.sql');
    expect(out.code).toBe(0);
  });

  it('push that adds a destructive migration: fails, naming the rule; a later push that leaves migrations alone passes', () => {
    const r = repo();
    const git = gitRepo(r.dir);
    const before = git('rev-parse', 'HEAD');
    write(r, 'migrations/002_drop.sql', 'ALTER TABLE example_notes DROP COLUMN IF EXISTS body;\n');
    git('add', '-A');
    git('commit', '-qm', 'drop');
    const failed = run(r, { EVENT_NAME: 'push', BEFORE_SHA: before });
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain('Linting migrations/002_drop.sql');
    expect(failed.out).toContain('ban-drop-column');
    expect(failed.out).not.toContain('001_example_expand.sql');

    const dropped = git('rev-parse', 'HEAD');
    write(r, 'src/app.ts', `${readFileSync(join(r.dir, 'src/app.ts'), 'utf8')}\n// a code change\n`);
    git('commit', '-qam', 'code');
    const passed = run(r, { EVENT_NAME: 'push', BEFORE_SHA: dropped });
    expect(passed).toEqual({ code: 0, out: 'No new or changed migrations.\n' });
  });

  it('push whose "before" commit is unknown (force push): compares with the parent', () => {
    const r = repo();
    const git = gitRepo(r.dir);
    write(r, 'migrations/002_rename.sql', 'ALTER TABLE example_notes RENAME COLUMN body TO text;\n');
    git('add', '-A');
    git('commit', '-qm', 'rename');
    const out = run(r, { EVENT_NAME: 'push', BEFORE_SHA: 'f'.repeat(40) });
    expect(out.code).not.toBe(0);
    expect(out.out).toContain('renaming-column');
  });

  /** A pull request's merge commit: `feature` adds `file` (sql); `onBase` lands on main meanwhile. */
  const mergeCommit = (
    r: ReturnType<typeof repo>,
    file: string,
    sql: string,
    onBase?: readonly [string, string],
  ): void => {
    const git = gitRepo(r.dir);
    const commit = (path: string, text: string): void => {
      write(r, path, text);
      git('add', '-A');
      git('commit', '-qm', path);
    };
    git('checkout', '-qb', 'feature');
    commit(file, sql);
    git('checkout', '-q', 'main');
    if (onBase) commit(...onBase);
    git('merge', '-q', '--no-ff', '-m', 'merge', 'feature');
  };

  it('pull request (checked out as its merge commit): lints what the branch adds against the base', () => {
    const r = repo();
    mergeCommit(r, 'migrations/002_type.sql', 'ALTER TABLE example_notes ALTER COLUMN body TYPE varchar(200);\n', [
      'migrations/002_base.sql',
      'ALTER TABLE example_notes DROP COLUMN IF EXISTS legacy;\n', // on the base already
    ]);
    const out = run(r, { EVENT_NAME: 'pull_request', BEFORE_SHA: '' });
    expect(out.out).toContain('Linting migrations/002_type.sql');
    expect(out.out).not.toContain('002_base.sql');
    expect(out.out).toContain('changing-column-type');
    expect(out.code).not.toBe(0);
  });

  it('pull request with an expand migration passes', () => {
    const r = repo({ language: 'js' });
    mergeCommit(r, 'migrations/002_expand.sql', 'ALTER TABLE example_notes ADD COLUMN IF NOT EXISTS author text;\n');
    const out = run(r, { EVENT_NAME: 'pull_request', BEFORE_SHA: '' });
    expect(out.out).toContain('Linting migrations/002_expand.sql');
    expect(out.code).toBe(0);
  });

  it('runs squawk through npx at the exact pinned version (no devDependency to keep in package.json)', () => {
    const r = repo();
    expect(r.step.run).toContain(`npx --yes squawk-cli@${SQUAWK_INSTALL.version} -- "\${files[@]}"`);
    expect(JSON.parse(readFileSync(join(r.dir, 'package.json'), 'utf8')).devDependencies['squawk-cli']).toBeUndefined();
  });

  it('is only in new repositories with a database, after the install and before the build', () => {
    for (const [flags, expected] of [
      [{}, true],
      [{ database: 'none' }, false],
      [{ language: 'js' }, true],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'ccp-squawk-plan-'));
      dirs.push(dir);
      const { paths } = renderTree(dir, flags);
      const steps = (
        parse(readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8')) as { jobs: { test: { steps: Step[] } } }
      ).jobs.test.steps;
      const at = steps.findIndex((s) => s.name === 'Lint new and changed migrations (squawk)');
      expect(at >= 0, JSON.stringify(flags)).toBe(expected);
      expect(paths.includes('.squawk.toml'), JSON.stringify(flags)).toBe(expected);
      if (!expected) continue;
      expect(steps[at - 1]!.run).toBe('npm ci');
    }
  });
});
