/**
 * End to end: npm pack → install the tarball into a fresh folder → run the installed bin without a TTY.
 * Catches a missing `files` entry or a runtime dependency declared in the wrong section.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('the packed package', () => {
  it('installs a bin that scaffolds non-interactively', () => {
    const r = spawnSync(bin, ['out', '--yes', ...ACCOUNT_ARGS], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = listFiles(join(work, 'out'));
    expect(files).toEqual(expect.arrayContaining(['.yo-rc.json', '.github/workflows/deploy.yml', 'terraform/main.tf', 'Dockerfile']));
    expect(JSON.parse(readFileSync(join(work, 'out/.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers.githubRepo).toBe('acme/api');
  });

  it('without a TTY and with values missing exits non-zero and writes nothing', () => {
    const r = spawnSync(bin, ['empty'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--vpc-id: missing');
    expect(existsSync(join(work, 'empty'))).toBe(false);
  });
});
