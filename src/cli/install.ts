/**
 * Installing a new service's dependencies, as create-next-app does: with the package manager that ran
 * the generator (npm_config_user_agent), so the lockfile the workflow's install and the Dockerfile's COPY
 * need exists before the first commit. Only for a new service, only when its lockfile is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageManager } from '../detect/facts.js';

/** The package manager that ran us, from npm_config_user_agent (e.g. `pnpm/9.12.0 npm/? node/v20.17.0 linux x64`). */
export interface Invoker {
  readonly pm: PackageManager;
  /** Its version, e.g. `9.12.0` (undefined when the agent names none). */
  readonly version?: string;
}

/** npm, pnpm, yarn or bun from the user agent (`bun create`/`bunx` send `bun/1.2.0 npm/? node/v24.3.0 …`); npm for anything else (npx, no agent). */
export function invokingPackageManager(userAgent: string | undefined): Invoker {
  const m = /^(npm|pnpm|yarn|bun)\/(\d+\.\d+\.\d+[^\s]*)/.exec(userAgent ?? '');
  if (!m) return { pm: 'npm' };
  return { pm: m[1] as PackageManager, version: m[2] };
}

/**
 * A warning when bun older than 1.2 ran us: it writes the binary bun.lockb, while the workflow and the
 * image install from the text bun.lock (bun's default since 1.2).
 */
export function oldBunWarning(invoker: Invoker): string | undefined {
  const m = /^(\d+)\.(\d+)\./.exec(invoker.version ?? '');
  if (invoker.pm !== 'bun' || !m || Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 2)) return undefined;
  return `bun ${invoker.version} writes bun.lockb, but the workflow and the Dockerfile install from bun.lock (bun 1.2 and later): run \`bun upgrade\`, then \`bun install\` in the new service.`;
}

/** The lockfile each package manager writes. */
export const LOCKFILES: Readonly<Record<PackageManager, string>> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  yarn: 'yarn.lock',
  // The text lockfile of bun 1.2 and later (earlier ones wrote the binary bun.lockb).
  bun: 'bun.lock',
};

/** The command a person runs to create the lockfile, e.g. `npm install`. */
export function installCommand(pm: PackageManager): string {
  return `${pm} install`;
}

/** What the install did. */
export type InstallOutcome =
  | { readonly kind: 'installed'; readonly lockfile: string }
  | { readonly kind: 'present'; readonly lockfile: string }
  | { readonly kind: 'failed'; readonly lockfile: string; readonly reason: string };

/** Streams the package manager's output goes to. */
export interface InstallIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Run `<pm> install` in `dir` unless its lockfile exists; the package manager's output is shown as it runs. */
export async function installDependencies(dir: string, pm: PackageManager, io: InstallIO): Promise<InstallOutcome> {
  const lockfile = LOCKFILES[pm];
  if (existsSync(join(dir, lockfile))) return { kind: 'present', lockfile };
  io.stdout.write(
    `\nInstalling dependencies with ${installCommand(pm)} (creates ${lockfile}; --skip-install skips this)...\n`,
  );
  const reason = await new Promise<string | undefined>((resolve) => {
    // Loaded here, not imported: a run with --skip-install (or --dry-run) never spawns anything.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(pm, ['install'], { cwd: dir, env: io.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => io.stdout.write(c));
    child.stderr.on('data', (c: Buffer) => io.stderr.write(c));
    child.once('error', (err) => resolve(`${pm} could not be started: ${err.message}`));
    child.once('close', (code, signal) =>
      resolve(
        code === 0
          ? undefined
          : `${installCommand(pm)} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`,
      ),
    );
  });
  if (reason !== undefined) return { kind: 'failed', lockfile, reason };
  return existsSync(join(dir, lockfile))
    ? { kind: 'installed', lockfile }
    : { kind: 'failed', lockfile, reason: `${installCommand(pm)} wrote no ${lockfile}` };
}

/** What the next steps and the exit code need to know about the install. */
export interface InstallReport {
  /** The lockfile is still missing: the next steps say how to create it. */
  readonly lockfileMissing: boolean;
  readonly failed: boolean;
}

/** The install step of a run: new services only, unless --skip-install. */
export async function installNewService(
  run: {
    readonly dir: string;
    readonly facts: { readonly mode: 'new' | 'adopt'; readonly packageManager: PackageManager };
  },
  skip: boolean,
  io: InstallIO,
): Promise<InstallReport> {
  if (run.facts.mode !== 'new') return { lockfileMissing: false, failed: false };
  const pm = run.facts.packageManager;
  if (skip) return { lockfileMissing: !existsSync(join(run.dir, LOCKFILES[pm])), failed: false };
  const outcome = await installDependencies(run.dir, pm, io);
  if (outcome.kind !== 'failed') return { lockfileMissing: false, failed: false };
  io.stderr.write(
    `create-canary-pipeline: ${outcome.reason}. Every file is written; create ${outcome.lockfile} as the next steps say.\n`,
  );
  return { lockfileMissing: true, failed: true };
}
