/**
 * End to end: npm pack → install the tarball into a fresh folder → run the installed bin without a TTY.
 * Catches a missing `files` entry or a runtime dependency declared in the wrong section.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, listFiles, tempDir } from './support/cli.js';

const root = new URL('..', import.meta.url).pathname;
let bin = '';
let work = '';

beforeAll(() => {
  work = tempDir('ccp-pack-');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>;
  const tarball = join(work, packed[0]!.filename);
  const app = join(work, 'consumer');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
  execFileSync('npm', ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  bin = join(app, 'node_modules/.bin/create-canary-pipeline');
}, 300_000);

const run = (cmd: string, args: string[], cwd: string): { status: number | null; out: string } => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('the packed package', () => {
  it('installs a bin that scaffolds non-interactively, installing the new service (npm, as invoked)', () => {
    const r = spawnSync(bin, ['out', '--yes', ...ACCOUNT_ARGS], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // The only stderr is npm's own (e.g. EBADENGINE: the service asks for a newer Node than this machine's).
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('Installing dependencies with npm install');
    const files = listFiles(join(work, 'out'));
    expect(files).toEqual(expect.arrayContaining(['.yo-rc.json', '.github/workflows/deploy.yml', 'terraform/main.tf', 'Dockerfile', 'package-lock.json', '.gitignore']));
    expect(JSON.parse(readFileSync(join(work, 'out/.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers.githubRepo).toBe('acme/api');
    expect(r.stdout).not.toMatch(/npm install — creates package-lock\.json/);
  }, 300_000);

  it('the new service goes through npm ci, build and test from its own lockfile, and git ignores what it must', () => {
    const out = join(work, 'out');
    rmSync(join(out, 'node_modules'), { recursive: true, force: true });
    for (const [cmd, args] of [['npm', ['ci', '--no-audit', '--no-fund']], ['npm', ['run', 'build']], ['npm', ['test']]] as const) {
      const r = run(cmd, [...args], out);
      expect(r.status, `${cmd} ${args.join(' ')}\n${r.out}`).toBe(0);
    }
    expect(existsSync(join(out, 'dist/server.js'))).toBe(true);
    // .gitignore, read by git itself: node_modules, dist and local Terraform state stay out, the lockfile and .terraform.lock.hcl in.
    expect(run('git', ['init', '-q'], out).status).toBe(0);
    mkdirSync(join(out, 'terraform/.terraform'), { recursive: true });
    for (const f of ['terraform/terraform.tfstate', 'terraform/terraform.tfstate.backup', 'terraform/tfplan', 'terraform/.terraform/x', '.env', '.env.local', 'terraform/.terraform.lock.hcl', '.env.example']) writeFileSync(join(out, f), 'x');
    const status = run('git', ['status', '--porcelain', '--untracked-files=all'], out).out.split('\n').map((l) => l.slice(3)).filter(Boolean);
    expect(status).toEqual(expect.arrayContaining(['package-lock.json', 'package.json', '.gitignore', 'terraform/.terraform.lock.hcl', '.env.example', '.yo-rc.json']));
    for (const p of status) expect(p).not.toMatch(/^(node_modules|dist)\/|tfstate|tfplan|\.terraform\/|^\.env(\.local)?$/);
  }, 300_000);

  it('without a TTY and with values missing exits non-zero and writes nothing', () => {
    const r = spawnSync(bin, ['empty'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--vpc-id: missing');
    expect(existsSync(join(work, 'empty'))).toBe(false);
  });
});
