/**
 * Test support: the full adopt check list for one Express app, run on a scratch copy the way a user
 * would: the generator CLI (exit 0) and a second run that changes nothing; the app's own install
 * (npm registry) and build; its start command (/livez 200, /readyz 200 against real services, 503
 * once its dependency goes down); its own route and its own 404 answering exactly as the untouched
 * app does; a request in flight surviving SIGTERM; and a stage-by-stage replay of the generated
 * Dockerfile whose CMD listens and whose health-check command exits 0. Each check reports pass, fail
 * or skip (with the reason); the caller decides what must pass.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { buildContext, type RenderContext } from '../../src/context/build-context.js';
import type { ProjectFacts } from '../../src/detect/facts.js';
import { detectProject, toDefaultFacts } from '../../src/detect/index.js';
import { EXAMPLE_FLAGS } from '../../src/options/example.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { freePort, freezableProxy, run, type RunResult } from './app-harness.js';
import { baseEnv, installCorepack, withPath } from './corpus-env.js';
import { get, holdingPort, readyWhenUp, startProc, type Proc } from './corpus-proc.js';
import { formatFindings } from '../validate/finding.js';
import { validateWorkflow } from '../validate/workflow/index.js';
import { replayDockerfile } from './dockerfile-sim.js';
import { startFakeMongo } from './fake-mongo.js';

export type Dependency = 'postgres' | 'mysql' | 'redis' | 'mongo';
export type CheckName =
  | 'materialise'
  | 'detect'
  | 'generate'
  | 'workflow-lint'
  | 'second-run'
  | 'install'
  | 'build'
  | 'start'
  | 'livez'
  | 'readyz'
  | 'readyz-down'
  | 'own-routes'
  | 'drain'
  | 'image'
  | 'image-healthcheck';

/** The checks every app must have run (the others depend on what the app has: a build, a dependency). */
export const ALWAYS_RUN_CHECKS: readonly CheckName[] = [
  'generate',
  'workflow-lint',
  'second-run',
  'install',
  'start',
  'livez',
  'readyz',
  'own-routes',
  'image',
  'image-healthcheck',
];

/** One app of the corpus and what it needs to run. */
export interface CorpusApp {
  readonly name: string;
  /** The untouched app (copied, never changed). */
  readonly source: string;
  /** The dependency /readyz must check (stopped for the 503 check). */
  readonly dependency?: Dependency;
  /** The app's own environment for its dependency's URL (its variable names; '' without a dependency); DATABASE_URL/REDIS_URL are always set too. */
  readonly env?: (url: string) => Record<string, string>;
  readonly ownRoute: string;
  readonly notFound?: string;
  /** Extra environment of the build (the app's build script may read it); the image replay gets it too. */
  readonly buildEnv?: Record<string, string>;
  /** The app's own build is known to fail at this commit for reasons of its own (why): its output is used anyway. */
  readonly brokenBuild?: string;
  /** Checks that cannot run here, with the reason (said in the report, never silently). */
  readonly skip?: Partial<Record<CheckName, string>>;
  /** `npm install --before` (npm_config_before) for every install: caret ranges resolve as on this date. */
  readonly npmBefore?: string;
}

export interface CheckResult {
  readonly check: CheckName;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly detail: string;
  /** Wall time since the previous result (what this check cost, its setup included). */
  readonly ms?: number;
}

/** URLs of the running services the corpus uses. */
export interface CorpusServices {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly mysqlUrl: string;
}

const BIN = join(PACKAGE_ROOT, 'bin', 'create-canary-pipeline.js');
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });

const sh = (command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<RunResult> =>
  run('bash', ['-c', command], { cwd, env, timeoutMs });
const tail = (r: RunResult): string => `${r.stdout}${r.stderr}`.trim().split('\n').slice(-12).join('\n');

/** The dependency's URL for the app, through something the check can stop. */
async function dependencyEndpoint(
  dep: Dependency,
  s: CorpusServices,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (dep === 'mongo') {
    const m = await startFakeMongo();
    return { url: m.url, stop: m.stop };
  }
  const base = dep === 'postgres' ? s.databaseUrl : dep === 'mysql' ? s.mysqlUrl : s.redisUrl;
  const u = new URL(base);
  const proxy = await freezableProxy(Number(u.port));
  u.port = String(proxy.port);
  return { url: u.toString(), stop: proxy.close };
}

/** Everything one app run needs. */
interface Run {
  readonly app: CorpusApp;
  readonly dir: string;
  readonly work: string;
  /** Environment of the app's own commands (CI's install, build, start): the base one, with corepack's pnpm/yarn for those apps. */
  env: NodeJS.ProcessEnv;
  /** Without any package manager but the host's npm (the image replay adds its stages' own). */
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly facts: ProjectFacts;
  readonly ctx: RenderContext;
  readonly services: CorpusServices;
  readonly results: CheckResult[];
  /** When the previous result was recorded. */
  mark: number;
}

function push(r: Run, check: CheckName, status: CheckResult['status'], detail: string): void {
  const now = Date.now();
  r.results.push({ check, status, detail, ms: now - r.mark });
  r.mark = now;
}

function record(r: Run, check: CheckName, ok: boolean, detail = ''): boolean {
  push(r, check, ok ? 'pass' : 'fail', detail);
  return ok;
}

function skipped(r: Run, check: CheckName): boolean {
  const why = r.app.skip?.[check];
  if (why) push(r, check, 'skip', why);
  return why !== undefined;
}

/** Environment of the app for a dependency URL. */
function appEnv(r: Run, url: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dep = r.app.dependency;
  const std = url ? (dep === 'redis' ? { REDIS_URL: url } : { DATABASE_URL: url }) : {};
  const defaults = { DATABASE_URL: r.services.databaseUrl, REDIS_URL: r.services.redisUrl };
  return {
    ...r.env,
    NODE_ENV: 'production',
    READINESS_TIMEOUT_MS: '1500',
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...defaults,
    ...std,
    ...(r.app.env && (url || !dep) ? r.app.env(url ?? '') : {}),
    ...extra,
  };
}

const portOf = (r: Run): Promise<number> => (r.facts.listenPort ? Promise.resolve(r.facts.listenPort) : freePort());

/**
 * The workflows the run wrote (not the app's own) through the same validator as the golden scenarios:
 * strict YAML, actionlint, shellcheck on every `run:`, the hardening rules. The scenarios are all npm;
 * here the workflow is rendered for the app's package manager, lockfile and scripts.
 */
async function workflowChecks(r: Run): Promise<void> {
  const written = git(r.dir, 'status', '--porcelain', '-uall', '--', '.github/workflows')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .filter((f) => /\.ya?ml$/.test(f));
  const findings = (await Promise.all(written.map((f) => validateWorkflow(r.dir, f)))).flat();
  record(
    r,
    'workflow-lint',
    written.length > 0 && findings.length === 0,
    findings.length ? formatFindings(findings) : `${written.join(', ') || 'no workflow written'}`,
  );
}

async function generatorChecks(r: Run): Promise<boolean> {
  const force = ['Dockerfile', '.dockerignore', '.github/workflows/deploy.yml'].some((f) => existsSync(join(r.dir, f)))
    ? ['--force']
    : [];
  const first = await run(process.execPath, [BIN, '.', '--yes', '--example', ...force], { cwd: r.dir, env: r.env });
  if (!record(r, 'generate', first.code === 0, `exit ${first.code}\n${tail(first)}`)) return false;
  await workflowChecks(r);
  git(r.dir, 'add', '-A');
  git(r.dir, 'commit', '-qm', 'adopted');
  const second = await run(process.execPath, [BIN, '.', '--yes', '--example'], { cwd: r.dir, env: r.env });
  const changed = git(r.dir, 'status', '--porcelain').trim();
  record(r, 'second-run', second.code === 0 && changed === '', `exit ${second.code}; changed: ${changed || 'nothing'}`);
  return true;
}

/** The script file of a `node [flags] file …` command (`-r x` and the like take a value). */
function scriptFile(command: readonly string[]): string {
  for (let i = 1; i < command.length; i++) {
    const a = command[i]!;
    if (!a.startsWith('-')) return a;
    if (['-r', '--require', '--import', '--loader', '--experimental-loader'].includes(a)) i++;
  }
  return '';
}

async function installAndBuild(r: Run): Promise<boolean> {
  if (skipped(r, 'install')) return false;
  const inst = await sh(r.ctx.app.installCommand, r.dir, r.env);
  if (
    !record(
      r,
      'install',
      inst.code === 0,
      `${r.ctx.app.installCommand}: exit ${inst.code}\n${inst.code ? tail(inst) : ''}`,
    )
  )
    return false;
  if (!r.ctx.app.runBuild) return true;
  if (skipped(r, 'build')) return false;
  const build = await sh(`${r.ctx.app.packageManager} run build`, r.dir, { ...r.env, ...r.app.buildEnv });
  const file = scriptFile(r.ctx.app.startCommand);
  if (build.code !== 0 && r.app.brokenBuild && existsSync(join(r.dir, file))) {
    push(r, 'build', 'skip', `exit ${build.code}, known: ${r.app.brokenBuild}; ${file} was written`);
    return true;
  }
  return record(
    r,
    'build',
    build.code === 0 && existsSync(join(r.dir, file)),
    `exit ${build.code}; ${file} ${existsSync(join(r.dir, file)) ? 'exists' : 'missing'}\n${build.code ? tail(build) : ''}`,
  );
}

async function withDependency<T>(
  r: Run,
  fn: (url: string | undefined, stop: () => Promise<void>) => Promise<T>,
): Promise<T> {
  if (!r.app.dependency) return fn(undefined, async () => undefined);
  const ep = await dependencyEndpoint(r.app.dependency, r.services);
  try {
    return await fn(ep.url, ep.stop);
  } finally {
    await ep.stop().catch(() => undefined);
  }
}

async function runtimeChecks(r: Run): Promise<void> {
  if (skipped(r, 'start')) return;
  const own = r.app.ownRoute;
  const missing = r.app.notFound ?? '/no-such-route-canary-check';
  await withDependency(r, async (url, stop) => {
    let p: Proc;
    try {
      p = await startProc(r.ctx.app.startCommand, r.dir, appEnv(r, url), await portOf(r));
    } catch (e) {
      record(r, 'start', false, (e as Error).message);
      return;
    }
    record(r, 'start', true, r.ctx.app.startCommand.join(' '));
    try {
      const live = await get(p.port, '/livez');
      record(r, 'livez', live.status === 200, `${live.status} ${live.body}`);
      const ready = await readyWhenUp(p.port);
      record(r, 'readyz', ready.status === 200, `${ready.status} ${ready.body}`);
      const patched = [await get(p.port, own), await get(p.port, missing)];
      await p.stop();
      await ownRoutes(r, url, patched);
      if (!skipped(r, 'readyz-down') && r.app.dependency) await readyDown(r, url!, stop);
    } finally {
      await p.stop();
    }
  });
}

/** Own route and own 404 against the untouched app (same install, same build). */
async function ownRoutes(
  r: Run,
  url: string | undefined,
  patched: readonly { status: number; body: string }[],
): Promise<void> {
  const pristine = join(r.work, 'pristine');
  cpSync(r.app.source, pristine, { recursive: true });
  symlinkSync(join(r.dir, 'node_modules'), join(pristine, 'node_modules'), 'dir');
  if (r.ctx.app.runBuild) await sh(`${r.ctx.app.packageManager} run build`, pristine, { ...r.env, ...r.app.buildEnv });
  let p: Proc | undefined;
  try {
    p = await startProc(r.ctx.app.startCommand, pristine, appEnv(r, url), await portOf(r), r.app.ownRoute);
    const before = [
      await get(p.port, r.app.ownRoute),
      await get(p.port, r.app.notFound ?? '/no-such-route-canary-check'),
    ];
    const same = before.every((b, i) => b.status === patched[i]!.status && b.body === patched[i]!.body);
    record(
      r,
      'own-routes',
      same,
      before
        .map((b, i) => `${b.status}→${patched[i]!.status}${b.body === patched[i]!.body ? '' : ' (body differs)'}`)
        .join(', '),
    );
  } catch (e) {
    record(r, 'own-routes', false, (e as Error).message);
  } finally {
    await p?.stop();
  }
}

async function readyDown(r: Run, url: string, stop: () => Promise<void>): Promise<void> {
  const p = await startProc(r.ctx.app.startCommand, r.dir, appEnv(r, url), await portOf(r)).catch((e: Error) => e);
  if (p instanceof Error) return void record(r, 'readyz-down', false, p.message);
  try {
    const up = await readyWhenUp(p.port);
    await stop();
    const started = Date.now();
    const down = await get(p.port, '/readyz');
    const live = await get(p.port, '/livez');
    const ok =
      up.status === 200 && down.status === 503 && down.body === '{"status":"unavailable"}' && live.status === 200;
    record(
      r,
      'readyz-down',
      ok,
      `up ${up.status}; stopped: /readyz ${down.status} ${down.body} in ${Date.now() - started} ms, /livez ${live.status}`,
    );
  } finally {
    await p.stop();
  }
}

async function drainCheck(r: Run): Promise<void> {
  if (skipped(r, 'drain')) return;
  if (!r.facts.serverFile) {
    push(
      r,
      'drain',
      'skip',
      `draining not added: ${(r.facts.warnings ?? []).find((w) => /SIGTERM|draining/.test(w)) ?? 'no server start found'}`,
    );
    return;
  }
  const preload = join(PACKAGE_ROOT, 'test/support/slow-response.cjs');
  await withDependency(r, async (url) => {
    const p = await startProc(
      r.ctx.app.startCommand,
      r.dir,
      appEnv(r, url, { NODE_OPTIONS: `--require ${preload}` }),
      await portOf(r),
    ).catch((e: Error) => e);
    if (p instanceof Error) return void record(r, 'drain', false, p.message);
    try {
      const inFlight = get(p.port, r.app.ownRoute, { 'x-test-delay-ms': '1500' });
      await new Promise((res) => setTimeout(res, 400));
      p.signal('SIGTERM');
      const res = await inFlight.catch((e: Error) => ({ status: 0, body: e.message, connection: null }));
      const code = await Promise.race([p.exited, new Promise((res) => setTimeout(() => res('still running'), 15_000))]);
      // Completed and exited 0; `Connection: close` is what drainOnSigterm asks for (an error handler may clear headers).
      record(
        r,
        'drain',
        res.status > 0 && code === 0,
        `in-flight ${res.status} (Connection: ${res.connection}); exit ${String(code)}`,
      );
    } finally {
      await p.stop();
    }
  });
}

/** Local addresses of the sockets listening on `port` (/proc/net/tcp: dotted IPv4; tcp6: hex as listed). */
function listenAddresses(port: number): string[] {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // IPv4 as 8 hex digits in host (little-endian) order: 0100007F is 127.0.0.1.
      const a = local?.endsWith(hex) && state === '0A' ? local.slice(0, -hex.length) : undefined;
      if (a)
        out.push(
          a.length === 8
            ? (a.match(/../g) ?? [])
                .reverse()
                .map((b) => parseInt(b, 16))
                .join('.')
            : a,
        );
    }
  }
  return out;
}

/** Replay the Dockerfile with real installs and builds, then start its CMD and run the health check. */
async function imageChecks(r: Run): Promise<void> {
  if (skipped(r, 'image')) return;
  const work = join(r.work, 'stages');
  const timings: string[] = [];
  const runner = async (
    command: string,
    cwd: string,
    stageEnv: Readonly<Record<string, string>>,
    root: string,
  ): Promise<boolean> => {
    if (/^(npm|pnpm|yarn|corepack) /.test(command) && !/^npm run build$|^rm /.test(command)) {
      const started = Date.now();
      // As in the image: a global install goes to the stage's /usr/local, whose bin/ comes first on PATH
      // (corepack, then the pnpm/yarn it enables); the check's own corepack is not on it.
      const local = join(root, 'usr', 'local');
      const env: NodeJS.ProcessEnv = {
        ...withPath(r.baseEnv, join(local, 'bin')),
        ...stageEnv,
        ...r.app.buildEnv,
        npm_config_prefix: local,
      };
      // A tool the Dockerfile names by exact version: the app's --before date pins its own ranges, not that.
      if (/^npm install --global /.test(command)) delete env.npm_config_before;
      const res = await sh(command, cwd, env);
      timings.push(`${command.replace(/^npm pkg delete .* && /, '')} ${((Date.now() - started) / 1000).toFixed(0)}s`);
      if (res.code !== 0) throw new Error(`${command} failed in ${cwd}:\n${tail(res)}`);
      return true;
    }
    return false;
  };
  let image: Awaited<ReturnType<typeof replayDockerfile>>;
  try {
    image = await replayDockerfile(readFileSync(join(r.dir, 'Dockerfile'), 'utf8'), r.dir, work, runner);
  } catch (e) {
    record(r, 'image', false, (e as Error).message.split('\n').slice(0, 14).join('\n'));
    return;
  }
  const cwd = join(image.root, image.workdir);
  await holdingPort(r.ctx.containerPort, () =>
    withDependency(r, async (url) => {
      let p: Proc | undefined;
      try {
        p = await startProc(image.cmd ?? [], cwd, appEnv(r, url, image.env), r.ctx.containerPort);
        // The load balancer connects to the task's own address: a server bound to loopback only is unreachable.
        const bound = listenAddresses(r.ctx.containerPort);
        const wildcard = bound.some((a) => a === '0.0.0.0' || /^0+$/.test(a));
        record(
          r,
          'image',
          wildcard,
          `CMD ${JSON.stringify(image.cmd)} listens on ${r.ctx.containerPort}${wildcard ? ' (all addresses)' : `, but only on ${bound.join(', ') || 'no address /proc/net/tcp lists'}: unreachable from the load balancer`} (${timings.join(', ')})`,
        );
        const [, ...hc] = r.ctx.app.healthcheckCommand.slice(1);
        const res = await run(process.execPath, hc, {
          cwd,
          env: { ...r.env, PORT: String(r.ctx.containerPort) },
          timeoutMs: 10_000,
        });
        record(
          r,
          'image-healthcheck',
          res.code === 0,
          `${r.ctx.app.healthcheckCommand.slice(1).join(' ')}: exit ${res.code}`,
        );
      } catch (e) {
        record(r, 'image', false, (e as Error).message);
      } finally {
        await p?.stop();
      }
    }),
  );
}

/**
 * The environment of CI's install for a pnpm/yarn app: the generated workflow's "Enable corepack" step run
 * with bash, as the runner does, with the Dockerfile's corepack version (in a folder of this check) standing
 * for the runner's; what the step writes to $GITHUB_ENV applies to the later steps.
 */
async function ciCorepackEnv(r: Run): Promise<NodeJS.ProcessEnv> {
  const bin = await installCorepack(`corepack@${r.ctx.corepackVersion}`, join(r.work, 'corepack'), r.baseEnv);
  const wf = parse(readFileSync(join(r.dir, '.github/workflows/deploy.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
  };
  const step = wf.jobs.test?.steps.find((s) => s.name?.startsWith('Enable corepack'));
  if (!step?.run) throw new Error('the workflow has no "Enable corepack" step for a pnpm/yarn app');
  const githubEnv = join(r.work, 'github-env');
  writeFileSync(githubEnv, '');
  const res = await sh(`set -eo pipefail\n${step.run}`, r.dir, { ...withPath(r.baseEnv, bin), GITHUB_ENV: githubEnv });
  if (res.code !== 0) throw new Error(`the workflow's Enable corepack step: exit ${res.code}\n${tail(res)}`);
  for (const name of ['pnpm', 'yarn'])
    if (!existsSync(join(bin, name))) throw new Error(`corepack enable wrote no ${name} into ${bin}`);
  const set = Object.fromEntries(
    readFileSync(githubEnv, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { ...withPath(r.baseEnv, bin), ...set };
}

/** Run the whole check list for `app` under `work` (a fresh folder). */
export async function runCorpusChecks(
  app: CorpusApp,
  services: CorpusServices,
  work: string,
  npmCache: string,
): Promise<CheckResult[]> {
  rmSync(work, { recursive: true, force: true });
  const dir = join(work, 'app');
  cpSync(app.source, dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'untouched');
  const facts = detectProject(dir, { readGithubRepo: () => undefined });
  const { options } = resolveOptions({ flags: EXAMPLE_FLAGS, facts: toDefaultFacts(facts), mode: 'yes' });
  const ctx = buildContext(options, facts);
  const base = { ...baseEnv(npmCache), ...(app.npmBefore ? { npm_config_before: app.npmBefore } : {}) };
  const r: Run = { app, dir, work, env: base, baseEnv: base, facts, ctx, services, results: [], mark: Date.now() };
  try {
    if (!(await generatorChecks(r))) return r.results;
    if (ctx.app.packageManager !== 'npm') r.env = await ciCorepackEnv(r);
    if (await installAndBuild(r)) {
      await holdingPort(r.facts.listenPort, async () => {
        await runtimeChecks(r);
        await drainCheck(r);
      });
    }
    await imageChecks(r);
  } catch (e) {
    push(r, 'start', 'fail', `the check list stopped: ${(e as Error).stack ?? String(e)}`);
  }
  return r.results;
}

/** One line per check, for logs and the report. */
export function formatResults(name: string, results: readonly CheckResult[]): string {
  const secs = (c: CheckResult): string => (c.ms === undefined ? '' : `${(c.ms / 1000).toFixed(1)}s`).padStart(7);
  return results
    .map(
      (c) =>
        `${name.padEnd(16)} ${c.check.padEnd(18)} ${c.status.toUpperCase().padEnd(4)}${secs(c)} ${c.detail.split('\n')[0]}`,
    )
    .join('\n');
}
