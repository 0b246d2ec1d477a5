/**
 * The `npm create` door on a real pseudo-terminal (util-linux `script`): the bin draws its questions
 * with @inquirer/prompts, takes typed answers and Enter for defaults, judges the canary combination at
 * the prompt, reads "none" as Slack off, and Ctrl-C exits 1 with nothing written.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_TABLE, type OptionKey } from '../src/options/table.js';
import { keysToPrompt, type RawValues } from '../src/options/resolve.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { listFiles, tempDir } from './support/cli.js';

const bin = new URL('../bin/create-canary-pipeline.js', import.meta.url).pathname;

/** Wait until `wait` is on the screen (after the previous step's text), then type `send`. */
interface Step {
  readonly wait: string;
  readonly send: string;
}

interface TtyRun {
  readonly code: number | null;
  /** Everything drawn on the terminal, escape sequences removed. */
  readonly screen: string;
}

const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** Run the bin on a pty in `cwd` and play `steps` against what it draws. */
function onTty(args: readonly string[], cwd: string, steps: readonly Step[]): Promise<TtyRun> {
  return new Promise((resolve, reject) => {
    const command = `stty cols 300 rows 50; exec "${process.execPath}" "${bin}" ${args.join(' ')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, CI: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let from = 0;
    let next = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += plain(chunk.toString());
      for (let at: number; next < steps.length && (at = screen.indexOf(steps[next]!.wait, from)) >= 0; next++) {
        from = at + steps[next]!.wait.length;
        child.stdin.write(steps[next]!.send);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

/** A step per question of a run with `flags`: Enter (the default) unless `typed` gives the answer. */
function answering(flags: RawValues, typed: Partial<Record<OptionKey, string>>, extra: Partial<Record<OptionKey, Step>> = {}): Step[] {
  return keysToPrompt(flags, undefined).flatMap((k) => {
    const step = { wait: OPTION_TABLE[k].message, send: `${typed[k] ?? ''}\r` };
    return extra[k] ? [step, extra[k]!] : [step];
  });
}

const exampleArgs = Object.entries(EXAMPLE_FLAGS).map(([k, v]) => `--${OPTION_TABLE[k as OptionKey].flag} ${String(v)}`);

describe('interactive on a terminal', () => {
  it('asks every option without a flag, Enter takes the default, typed answers are saved', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty(exampleArgs, cwd, answering(EXAMPLE_FLAGS, { canaryPercent: '20', slackWebhookSecret: 'none' }));
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('Next steps:');
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({ canaryPercent: 20, canaryMinutes: 10, deploymentEngine: 'ecs', staging: true, slackWebhookSecret: null });
  });

  it('judges the canary combination at the rollback-window prompt and asks again', async () => {
    const cwd = tempDir('ccp-tty-');
    // The refused answer stays in the field: erase it (Backspace), then type a valid one.
    const retry = { rollbackWindowMinutes: { wait: '= 310 min', send: '\x7f\x7f10\r' } };
    const r = await onTty(exampleArgs, cwd, answering(EXAMPLE_FLAGS, { canaryMinutes: '290', rollbackWindowMinutes: '20' }, retry));
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toMatch(/--canary-minutes 290 \+ --rollback-window-minutes 20 = 310 min/);
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({ canaryMinutes: 290, rollbackWindowMinutes: 10 });
  });

  it('Ctrl-C at the first question exits 1 and writes nothing', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty([], cwd, [{ wait: OPTION_TABLE.serviceName.message, send: '\x03' }]);
    expect(r.code).toBe(1);
    expect(r.screen).toContain('Aborted. Nothing was written.');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('an invalid flag is reported before the first question', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty(['--canary-percent', '0'], cwd, []);
    expect(r.code).toBe(1);
    expect(r.screen).toContain('--canary-percent');
    expect(r.screen).not.toContain(OPTION_TABLE.serviceName.message);
    expect(listFiles(cwd)).toEqual([]);
  });
});
