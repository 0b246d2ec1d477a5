/**
 * Test support: a generated app in a scratch folder — render, link dependencies, patch, run, stop.
 * Dependencies come from this repo's node_modules through a symlink (no npm install in tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawValues } from '../../src/options/resolve.js';
import type { RenderContext } from '../../src/context/build-context.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { renderAppTree } from './render-app.js';

/** A rendered app in a scratch folder. */
export interface ScratchApp {
  readonly dir: string;
  readonly ctx: RenderContext;
}

/** Output of a finished command. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to completion (no shell), capturing its output. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Render the app for `flags` into a fresh scratch folder with node_modules linked. */
export function scratchApp(flags: RawValues, label = 'app'): ScratchApp {
  const dir = mkdtempSync(join(tmpdir(), `ccp-${label}-`));
  const { ctx } = renderAppTree(dir, flags);
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, ctx };
}

/** Copy a prepared scratch app (build output included, node_modules link kept) for patching. */
export function copyScratchApp(app: ScratchApp, label = 'copy'): ScratchApp {
  const dir = mkdtempSync(join(tmpdir(), `ccp-${label}-`));
  cpSync(app.dir, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, ctx: app.ctx };
}

/** Remove a scratch folder (never follows the node_modules link). */
export function removeScratchApp(app: ScratchApp | undefined): void {
  if (app) rmSync(app.dir, { recursive: true, force: true });
}

/** Replace `pattern` in a file of the app; throws when the anchor is gone so a patch never silently no-ops. */
export function patchFile(app: ScratchApp, rel: string, pattern: RegExp, replacement: string): void {
  const file = join(app.dir, rel);
  const before = readFileSync(file, 'utf8');
  const after = before.replace(pattern, replacement);
  if (after === before) throw new Error(`patch anchor ${pattern} not found in ${rel}`);
  writeFileSync(file, after);
}

/** Source file of the app (src/<name>.<ext>). */
export function sourceFile(app: ScratchApp, name: string): string {
  return `src/${name}.${app.ctx.ext}`;
}

/** The JS module that actually runs: dist/<name>.js (ts) or src/<name>.js (js). */
export function runtimeFile(app: ScratchApp, name: string): string {
  return `${app.ctx.app.outDir}/${name}.js`;
}

/**
 * Test-only routes on the user's (seed) app file: GET /slow?ms=N answers after N ms (with &stream=1 it
 * sends headers and a first chunk at once); GET /slow/in-flight counts the /slow requests being served.
 * The server lifecycle code stays exactly as generated.
 */
export function addSlowRoute(app: ScratchApp): void {
  const route = [
    '  let slowInFlight = 0;',
    "  app.get('/slow/in-flight', (_req, res) => {",
    '    res.json(slowInFlight);',
    '  });',
    "  app.get('/slow', (req, res) => {",
    '    const ms = Number(req.query.ms ?? 1000);',
    '    slowInFlight += 1;',
    "    res.once('close', () => (slowInFlight -= 1));",
    '    if (req.query.stream) {',
    "      res.writeHead(200, { 'content-type': 'text/plain' });",
    "      res.write('started;');",
    "      setTimeout(() => res.end('done'), ms);",
    '    } else {',
    "      setTimeout(() => res.type('text/plain').send('done'), ms);",
    '    }',
    '  });',
    '',
    '  return app;',
  ].join('\n');
  patchFile(app, sourceFile(app, 'app'), /^ {2}return app;$/m, route);
}

/** A free loopback TCP port (listen on 0, close, reuse the number). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never answers: a hung dependency. */
export async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { port, close };
}

/** A running app process. */
export interface AppProcess {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Settles when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** SIGKILL if still running, then wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Start the app on a free port with its own start command (or `opts.command` in `opts.cwd`, e.g. a
 * Dockerfile's CMD in its WORKDIR); resolves once /livez answers 200.
 */
export async function startApp(
  app: ScratchApp,
  env: NodeJS.ProcessEnv,
  opts: { command?: readonly string[]; cwd?: string } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const [cmd, ...args] = opts.command ?? app.ctx.app.startCommand;
  const child = spawn(cmd === 'node' ? process.execPath : cmd!, args, {
    cwd: opts.cwd ?? app.dir,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc: AppProcess = {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  await waitForLive(proc);
  return proc;
}

async function waitForLive(proc: AppProcess): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (let i = 0; i < 100 && !exited; i++) {
    const ok = await fetch(`${proc.url}/livez`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await proc.kill();
  throw new Error(`app did not become live on port ${proc.port}:\n${proc.output()}`);
}

/** A TCP proxy to a real service that can be frozen: connections stay open, nothing is forwarded (a hung server). */
export async function freezableProxy(
  targetPort: number,
): Promise<{ port: number; freeze: () => void; close: () => Promise<void> }> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    track(client);
    track(upstream);
    client.on('data', (d: Buffer) => void (frozen || upstream.write(d)));
    upstream.on('data', (d: Buffer) => void (frozen || client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** process.env without variables of the test runner that could leak into the app's own processes. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|NODE_OPTIONS$|NODE_ENV$|npm_)/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}
