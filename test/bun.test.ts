/**
 * A new service created by bun (npm_config_user_agent `bun/…`), with the REAL bun: the `bun` npm package
 * (it ships the binary) at the manifest's version, installed from the npm registry into a temp folder.
 * The run installs with bun (bun.lock), the workflow sets bun up (setup-bun pinned by SHA, as every
 * action) and passes the validation harness (actionlint, shellcheck of every run:), and the Dockerfile
 * replays with bun's frozen installs and build run for real.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACCOUNT_ARGS, cli, tempDir } from './support/cli.js';
import { childEnv, run } from './support/app-harness.js';
import { replayDockerfile } from './support/dockerfile-sim.js';
import { formatFindings, validateTree } from './validate/index.js';
import { loadVersions } from '../src/versions.js';

const BUN = loadVersions().bunVersion;
const AGENT = `bun/${BUN} npm/? node/v24.3.0 linux x64`;
let binDir = '';
let service = '';

beforeAll(async () => {
  const prefix = tempDir('ccp-bun-');
  const r = await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `bun@${BUN}`], {
    cwd: prefix,
    env: childEnv(),
    timeoutMs: 240_000,
  });
  if (r.code !== 0) throw new Error(`npm could not install bun@${BUN}:\n${r.stdout}${r.stderr}`);
  binDir = join(prefix, 'node_modules/.bin');
  const version = await run(join(binDir, 'bun'), ['--version'], { cwd: prefix });
  expect(version.stdout.trim()).toBe(BUN);
  const cwd = tempDir('ccp-bun-svc-');
  const created = await cli(['svc', '--yes', ...ACCOUNT_ARGS], cwd, {
    install: true,
    env: { PATH: `${binDir}:${process.env.PATH}`, npm_config_user_agent: AGENT },
  });
  expect(created.code, created.stderr).toBe(0);
  service = join(cwd, 'svc');
}, 420_000);

describe('a new service run by bun', () => {
  it('installs with bun, pins bun in package.json, and the README, workflow and Dependabot use it', async () => {
    expect(existsSync(join(service, 'bun.lock'))).toBe(true);
    expect(existsSync(join(service, 'package-lock.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(service, 'package.json'), 'utf8')).packageManager).toBe(`bun@${BUN}`);
    type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
    const wf = parse(readFileSync(join(service, '.github/workflows/deploy.yml'), 'utf8')) as {
      jobs: { test: { steps: Step[] } };
    };
    const steps = wf.jobs.test.steps;
    const pin = loadVersions().actions.setupBun;
    expect(pin.uses).toMatch(/^oven-sh\/setup-bun@[0-9a-f]{40}$/);
    const setup = steps.findIndex((s) => s.uses === pin.uses);
    expect(steps[setup]!.with).toEqual({ 'bun-version': BUN });
    // setup-node has no bun cache; bun is set up before the install it runs.
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(node.with).not.toHaveProperty('cache');
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(
      expect.arrayContaining(['bun install --frozen-lockfile', 'bun run test']),
    );
    expect(steps.findIndex((s) => s.run === 'bun install --frozen-lockfile')).toBeGreaterThan(setup);
    expect(readFileSync(join(service, '.github/workflows/deploy.yml'), 'utf8')).not.toContain('corepack');
    expect(readFileSync(join(service, '.github/dependabot.yml'), 'utf8')).toMatch(/^ {2}- package-ecosystem: bun\b/m);
    const readme = readFileSync(join(service, 'README.md'), 'utf8');
    expect(readme).toMatch(/^bun install\b/m);
    expect(readme).toMatch(/^bun run dev\b/m);
    expect(readme).toMatch(/^bun run test\b/m);
  });

  it('a re-run (by npm this time) keeps bun: its package.json names it, and nothing else changes', async () => {
    const before = readFileSync(join(service, 'Dockerfile'), 'utf8');
    const again = await cli(['--yes', '--dry-run'], service, {
      env: { npm_config_user_agent: 'npm/10.8.2 node/v20.17.0 linux x64' },
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to change');
    expect(before).toContain(`RUN npm install --global bun@${BUN}`);
  });

  it('`bun run test`, as the workflow runs it, builds with bun and passes', async () => {
    expect(JSON.parse(readFileSync(join(service, 'package.json'), 'utf8')).scripts.test).toMatch(
      /^bun run build && node --test /,
    );
    const r = await run(join(binDir, 'bun'), ['run', 'test'], {
      cwd: service,
      env: childEnv({ PATH: `${binDir}:${process.env.PATH}` }),
      timeoutMs: 240_000,
    });
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(existsSync(join(service, 'dist/server.js'))).toBe(true);
  }, 300_000);

  it('passes the validation harness (actionlint, shellcheck of every run:, the rest of the tree)', async () => {
    expect(formatFindings(await validateTree(service))).toBe('');
  }, 240_000);

  it('the Dockerfile replays with bun: frozen production install, build, and a runtime stage without bun or dev dependencies', async () => {
    const env = childEnv({ PATH: `${binDir}:${process.env.PATH}` });
    const ran: string[] = [];
    const runner = async (command: string, cwd: string): Promise<boolean> => {
      // The bun on PATH (the same version, asserted above) stands in for the image's global install.
      if (command === `npm install --global bun@${BUN}`) {
        ran.push(command);
        return true;
      }
      if (!command.startsWith('bun ')) return false;
      const [cmd, ...args] = command.split(' ');
      const r = await run(cmd!, args, { cwd, env, timeoutMs: 240_000 });
      if (r.code !== 0) throw new Error(`${command} failed:\n${r.stdout}${r.stderr}`);
      ran.push(command);
      return true;
    };
    const image = await replayDockerfile(
      readFileSync(join(service, 'Dockerfile'), 'utf8'),
      service,
      tempDir('ccp-bun-image-'),
      runner,
    );
    expect(ran).toEqual([
      `npm install --global bun@${BUN}`,
      'bun install --frozen-lockfile --production',
      'bun install --frozen-lockfile',
      'bun run build',
    ]);
    const app = join(image.root, image.workdir);
    expect(image.cmd).toEqual(['node', 'dist/server.js']);
    expect(existsSync(join(app, 'dist/server.js'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/express/package.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    expect(image.baseImages.every((b) => b.startsWith('node:'))).toBe(true);
  }, 420_000);
});
