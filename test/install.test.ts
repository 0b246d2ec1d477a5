/**
 * A new service's dependency install: with the package manager that ran the generator, by default, so
 * the lockfile exists before the first commit; --skip-install and failures leave exact next steps. The
 * package managers here are fakes on PATH that record their arguments (the real npm install, ci, build
 * and test run in pack.test.ts).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installDependencies, invokingPackageManager, oldBunWarning } from '../src/cli/install.js';
import { ACCOUNT_ARGS, cli, tempDir } from './support/cli.js';

/** A fake `pm` on a fresh PATH entry: records its args and cwd, writes `lockfile` unless told to fail. */
function fakePm(pm: string, lockfile: string, exitCode = 0): { bin: string; calls: () => string[] } {
  const bin = tempDir('ccp-pm-');
  const log = join(bin, 'calls');
  writeFileSync(
    join(bin, pm),
    `#!/bin/bash\necho "$PWD $*" >> "${log}"\n${exitCode === 0 ? `echo '{}' > ${lockfile}\n` : ''}echo "${pm} says hi"\nexit ${exitCode}\n`,
  );
  chmodSync(join(bin, pm), 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

const io = (
  env: NodeJS.ProcessEnv,
): { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv; text: () => string } => {
  let text = '';
  const write = (c: string | Buffer): boolean => {
    text += c.toString();
    return true;
  };
  const sink = { write } as unknown as NodeJS.WritableStream;
  return { stdout: sink, stderr: sink, env, text: () => text };
};

describe('the invoking package manager (npm_config_user_agent)', () => {
  it.each([
    ['npm/10.8.2 node/v20.17.0 linux x64 workspaces/false', 'npm', '10.8.2'],
    ['pnpm/9.12.0 npm/? node/v20.17.0 linux x64', 'pnpm', '9.12.0'],
    ['yarn/1.22.22 npm/? node/v20.17.0 linux x64', 'yarn', '1.22.22'],
    ['yarn/4.5.0 npm/? node/v22.9.0 darwin arm64', 'yarn', '4.5.0'],
    ['bun/1.1.30 npm/? node/v22.6.0 linux x64', 'bun', '1.1.30'],
    [undefined, 'npm', undefined],
  ])('%s → %s', (agent, pm, version) => {
    expect(invokingPackageManager(agent)).toEqual(version ? { pm, version } : { pm });
  });
  // A new service run by bun uses bun throughout: test/bun.test.ts (with the real bun).

  it('bun before 1.2 (binary bun.lockb) is warned about; 1.2 and later are not', async () => {
    expect(oldBunWarning({ pm: 'bun', version: '1.1.30' })).toMatch(
      /^bun 1\.1\.30 writes bun\.lockb, but the workflow and the Dockerfile install from bun\.lock/,
    );
    expect(oldBunWarning({ pm: 'bun', version: '0.8.1' })).toBeDefined();
    for (const version of ['1.2.0', '1.4.5', '2.0.0']) expect(oldBunWarning({ pm: 'bun', version })).toBeUndefined();
    expect(oldBunWarning({ pm: 'pnpm', version: '1.1.0' })).toBeUndefined();
    const r = await cli(['svc', '--yes', ...ACCOUNT_ARGS], tempDir(), {
      env: { npm_config_user_agent: 'bun/1.1.30 npm/? node/v22.6.0 linux x64' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: bun 1.1.30 writes bun.lockb');
  });
});

describe('installDependencies', () => {
  it('runs `<pm> install` in the service and reports the lockfile it wrote', async () => {
    const dir = tempDir();
    const fake = fakePm('pnpm', 'pnpm-lock.yaml');
    const out = io({ PATH: `${fake.bin}:${process.env.PATH}` });
    expect(await installDependencies(dir, 'pnpm', out)).toEqual({ kind: 'installed', lockfile: 'pnpm-lock.yaml' });
    expect(fake.calls()).toEqual([`${dir} install`]);
    expect(out.text()).toContain('pnpm says hi');
  });

  it('does nothing when the lockfile exists', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    const fake = fakePm('npm', 'package-lock.json');
    expect(await installDependencies(dir, 'npm', io({ PATH: fake.bin }))).toEqual({
      kind: 'present',
      lockfile: 'package-lock.json',
    });
    expect(fake.calls()).toEqual([]);
  });

  it('reports a failing or missing package manager without throwing', async () => {
    const failing = fakePm('npm', 'package-lock.json', 1);
    const r = await installDependencies(tempDir(), 'npm', io({ PATH: failing.bin }));
    expect(r).toEqual({ kind: 'failed', lockfile: 'package-lock.json', reason: 'npm install exited with code 1' });
    const missing = await installDependencies(tempDir(), 'yarn', io({ PATH: tempDir() }));
    expect(missing.kind).toBe('failed');
    expect(missing.kind === 'failed' && missing.reason).toMatch(/^yarn could not be started/);
  });
});

describe('the CLI installs a new service by default', () => {
  it('with npm: installs, and the next steps no longer ask for the lockfile', async () => {
    const cwd = tempDir();
    const fake = fakePm('npm', 'package-lock.json');
    const r = await cli(['svc', '--yes', ...ACCOUNT_ARGS], cwd, {
      install: true,
      env: { PATH: `${fake.bin}:${process.env.PATH}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls()).toEqual([`${join(cwd, 'svc')} install`]);
    expect(existsSync(join(cwd, 'svc/package-lock.json'))).toBe(true);
    expect(r.stdout).toContain('Installing dependencies with npm install');
    expect(r.stdout).not.toMatch(/npm install — creates/);
    expect(r.stdout).toMatch(/Next steps, to paste[^\n]*\n {2}cd svc\/\n {2}# 1\. Create the Terraform state bucket/);
  });

  it('with pnpm when pnpm ran it: pnpm install, a packageManager pin, and a workflow and image for pnpm', async () => {
    const cwd = tempDir();
    const fake = fakePm('pnpm', 'pnpm-lock.yaml');
    const env = {
      PATH: `${fake.bin}:${process.env.PATH}`,
      npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.17.0 linux x64',
    };
    const r = await cli(['svc', '--yes', ...ACCOUNT_ARGS], cwd, { install: true, env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls()).toEqual([`${join(cwd, 'svc')} install`]);
    const pkg = JSON.parse(readFileSync(join(cwd, 'svc/package.json'), 'utf8')) as { packageManager?: string };
    expect(pkg.packageManager).toBe('pnpm@9.12.0');
    const wf = parse(readFileSync(join(cwd, 'svc/.github/workflows/deploy.yml'), 'utf8')) as {
      jobs: { test: { steps: Array<{ run?: string }> } };
    };
    expect(wf.jobs.test.steps.map((s) => s.run).filter(Boolean)).toContain('pnpm install --frozen-lockfile');
    expect(readFileSync(join(cwd, 'svc/Dockerfile'), 'utf8')).toContain('COPY package.json pnpm-lock.yaml ./');
  });

  it("with Yarn Berry: node_modules instead of Plug'n'Play, for the image", async () => {
    const cwd = tempDir();
    const fake = fakePm('yarn', 'yarn.lock');
    const r = await cli(['svc', '--yes', ...ACCOUNT_ARGS], cwd, {
      install: true,
      env: {
        PATH: `${fake.bin}:${process.env.PATH}`,
        npm_config_user_agent: 'yarn/4.5.0 npm/? node/v22.9.0 linux x64',
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'svc/.yarnrc.yml'), 'utf8')).toMatch(/^nodeLinker: node-modules$/m);
    expect(readFileSync(join(cwd, 'svc/Dockerfile'), 'utf8')).toContain('yarn workspaces focus --all --production');
  });

  it('--skip-install: nothing runs, and the first next step is the exact install command', async () => {
    const cwd = tempDir();
    const fake = fakePm('npm', 'package-lock.json');
    const r = await cli(['svc', '--yes', '--skip-install', ...ACCOUNT_ARGS], cwd, {
      install: true,
      env: { PATH: fake.bin },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls()).toEqual([]);
    expect(r.stdout).toMatch(
      /Next steps, to paste[^\n]*\n {2}cd svc\/\n {2}npm install {2}# creates package-lock\.json, which the workflow's npm ci and the Dockerfile need; commit it\n/,
    );
  });

  it('a failed install: every file written, exit 3, the reason and the install as the first next step', async () => {
    const cwd = tempDir();
    const fake = fakePm('npm', 'package-lock.json', 1);
    const r = await cli(['svc', '--yes', ...ACCOUNT_ARGS], cwd, {
      install: true,
      env: { PATH: `${fake.bin}:${process.env.PATH}` },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('create-canary-pipeline: npm install exited with code 1. Every file is written');
    expect(existsSync(join(cwd, 'svc/.github/workflows/deploy.yml'))).toBe(true);
    expect(r.stdout).toMatch(/Next steps, to paste[^\n]*\n {2}cd svc\/\n {2}npm install {2}#/);
  });

  it('never installs into an existing service (adopt mode)', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'src'));
    writeFileSync(
      join(cwd, 'package.json'),
      JSON.stringify({ name: 'shop', dependencies: { express: '^5.1.0' }, scripts: { start: 'node src/server.js' } }),
    );
    writeFileSync(
      join(cwd, 'src/server.js'),
      "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
    );
    const fake = fakePm('npm', 'package-lock.json');
    const r = await cli(['--yes', ...ACCOUNT_ARGS, '--database', 'none', '--cache', 'none'], cwd, {
      install: true,
      env: { PATH: `${fake.bin}:${process.env.PATH}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.calls()).toEqual([]);
  });
});
