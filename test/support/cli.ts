/** Test support: run the CLI in-process with captured output. */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import type { Ask } from '../../src/cli/prompt.js';
import type { Question } from '../../src/cli/questions.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the CLI with `argv` in `cwd`. Non-interactive unless `tty` is set (then `ask` answers prompts).
 * A new service's dependencies are not installed (`--skip-install`) unless `install` is set.
 */
export async function cli(
  argv: string[],
  cwd: string,
  opts: { tty?: boolean; ask?: Ask; env?: NodeJS.ProcessEnv; install?: boolean; awsLookupTimeoutMs?: number } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  // First, so a `--` among the arguments cannot turn it into a positional.
  const code = await runCli(
    opts.install || argv.includes('--help') || argv.includes('--version') ? argv : ['--skip-install', ...argv],
    {
      cwd,
      stdin,
      stdout: Object.assign(stdout, { isTTY: opts.tty ?? false }),
      stderr,
      env: opts.env ?? {},
      ask: opts.ask,
      awsLookupTimeoutMs: opts.awsLookupTimeoutMs,
    },
  );
  return { code, stdout: out, stderr: err };
}

/** A fresh empty temp directory. */
export function tempDir(prefix = 'ccp-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file below `dir` (relative, sorted), excluding node_modules. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** The account flags of the example command. */
export const ACCOUNT_ARGS = [
  '--github-repo',
  'acme/api',
  '--github-owner-id',
  '123456',
  '--github-repo-id',
  '456789',
  '--vpc-id',
  'vpc-0123456789abcdef0',
  '--public-subnets',
  'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
  '--private-subnets',
  'subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
  '--certificate-arn',
  'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
];

/** A scripted prompt: records every question, answers from `answers` (else the default), and validates like the terminal. */
export interface MockAsk {
  readonly ask: Ask;
  readonly calls: Question[];
}

export function mockAsk(answers: Record<string, unknown>, onAsk?: (q: Question) => void): MockAsk {
  const calls: Question[] = [];
  const ask: Ask = async (q, previous) => {
    calls.push(q);
    onAsk?.(q);
    const answer = q.name in answers ? answers[q.name] : q.default;
    const verdict = q.validate?.(answer, previous) ?? true;
    if (verdict !== true)
      throw new Error(`scripted answer ${JSON.stringify(answer)} to ${q.name} is invalid: ${verdict}`);
    return answer;
  };
  return { ask, calls };
}
