/**
 * Run external tools without a shell, capturing output whatever the exit code (linters exit ≠ 0 on findings).
 */
import { execFile, spawnSync } from 'node:child_process';

/** Outcome of a finished process; `code` is null when it could not start. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `cmd args` (optionally feeding `input` on stdin) and resolve with its output; never rejects. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr: stderr || (code === null && err ? err.message : '') });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

const toolCache = new Map<string, boolean>();

/** Whether `cmd` can be started (probed once per process with `cmd <probeArg>`). */
export function hasTool(cmd: string, probeArg = '--version'): boolean {
  let ok = toolCache.get(cmd);
  if (ok === undefined) {
    // CHECKPOINT_DISABLE: terraform would otherwise phone home for a version check
    ok =
      spawnSync(cmd, [probeArg], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).error ===
      undefined;
    toolCache.set(cmd, ok);
  }
  return ok;
}

/** Map `items` through `fn` with at most `limit` in flight (keeps a 2-core machine responsive). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
