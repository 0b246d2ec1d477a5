/**
 * Test support: render the workflow, take a step's `run:` block out of it, and run that block with
 * bash as GitHub does, with the real `aws` CLI pointed at an AwsMock and fakes on PATH:
 * `sleep` advances a fake clock instead of waiting, `date` reads that clock (so a wait's deadline
 * can pass in milliseconds), `docker` records its arguments and succeeds.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RawValues } from '../../src/options/resolve.js';
import type { RenderContext } from '../../src/context/build-context.js';
import type { AwsMock } from './aws-mock.js';
import { renderTree } from './render-tree.js';

export interface WfStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface WfJob {
  environment?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  'timeout-minutes'?: number;
  steps: WfStep[];
}
export interface Workflow {
  jobs: Record<string, WfJob>;
}

/** The rendered workflow of `flags` (over the example values) with its context. */
export function renderWorkflow(flags: RawValues = {}): { ctx: RenderContext; wf: Workflow; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-wfrun-'));
  const { ctx } = renderTree(dir, flags, undefined, (s) => s.path === '.github/workflows/deploy.yml');
  return { ctx, wf: parse(readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8')) as Workflow, dir };
}

/** The step of `job` whose name starts with `prefix` (throws when there is none: the test must not pass vacuously). */
export function step(wf: Workflow, job: string, prefix: string): WfStep {
  const s = wf.jobs[job]?.steps.find((x) => x.name?.startsWith(prefix));
  if (!s) throw new Error(`no step "${prefix}…" in job ${job}`);
  return s;
}

/** Result of one run of a step. */
export interface StepRun {
  readonly code: number;
  readonly output: string;
  /** What the step wrote to $GITHUB_OUTPUT, as key → value. */
  readonly outputs: Record<string, string>;
  /** Arguments of every `docker` call, one string per call. */
  readonly docker: string[];
  /** Every `sleep` argument, in order. */
  readonly sleeps: string[];
}

const REAL_DATE = execFileSync('bash', ['-c', 'command -v date'], { encoding: 'utf8' }).trim();

function fakeBin(dir: string): string {
  const bin = join(dir, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  const files: Record<string, string> = {
    sleep:
      '#!/bin/bash\necho "$1" >> "$FAKE_STATE/sleeps"\nclock=$(cat "$FAKE_STATE/clock")\necho $(( clock + ${1%.*} )) > "$FAKE_STATE/clock"\n',
    date: `#!/bin/bash\nclock=$(cat "$FAKE_STATE/clock")\nif [[ "$*" == "+%s" ]]; then echo "$clock"; else exec ${REAL_DATE} -d "@$clock" "$@"; fi\n`,
    docker: '#!/bin/bash\necho "$*" >> "$FAKE_STATE/docker"\n',
  };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

/** Run `script` as a GitHub `run:` step (bash -eo pipefail) with `env`, the mock's AWS environment and the fakes. */
export function runStep(script: string, env: Record<string, string>, mock: AwsMock): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-step-'));
  writeFileSync(join(dir, 'clock'), '1800000000\n');
  const bin = fakeBin(dir);
  const outputFile = join(dir, 'github-output');
  writeFileSync(outputFile, '');
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        HOME: dir,
        FAKE_STATE: dir,
        RUNNER_TEMP: dir,
        GITHUB_OUTPUT: outputFile,
        ...mock.cliEnv(),
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => {
      const outputs = Object.fromEntries(
        lines(outputFile).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      resolve({
        code: code ?? -1,
        output,
        outputs,
        docker: lines(join(dir, 'docker')),
        sleeps: lines(join(dir, 'sleeps')),
      });
    });
  });
}
