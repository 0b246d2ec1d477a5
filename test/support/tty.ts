/** Test support: run the bin on a real pseudo-terminal (util-linux `script`) and answer what it draws. */
import { spawn } from 'node:child_process';

const bin = new URL('../../bin/create-canary-pipeline.js', import.meta.url).pathname;

/** Wait until `wait` is on the screen (after the previous step's text), then type `send`. */
export interface Step {
  readonly wait: string;
  readonly send: string;
}

export interface TtyRun {
  readonly code: number | null;
  /** Everything drawn on the terminal, escape sequences removed. */
  readonly screen: string;
}

const ESCAPE = String.fromCharCode(0x1b);
const ESCAPE_SEQUENCE = new RegExp(`${ESCAPE}\\[[0-9;?]*[A-Za-z]`, 'g');
const plain = (s: string): string => s.replace(ESCAPE_SEQUENCE, '').replace(/\r/g, '');

/** Run the bin on a pty in `cwd` and play `steps` against what it draws. */
export function onTty(
  args: readonly string[],
  cwd: string,
  steps: readonly Step[],
  env: NodeJS.ProcessEnv = {},
): Promise<TtyRun> {
  return new Promise((resolve, reject) => {
    const command = `stty cols 300 rows 50; exec "${process.execPath}" "${bin}" ${args.join(' ')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, CI: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let from = 0;
    let next = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += plain(chunk.toString());
      while (next < steps.length) {
        const at = screen.indexOf(steps[next]!.wait, from);
        if (at < 0) break;
        from = at + steps[next]!.wait.length;
        child.stdin.write(steps[next]!.send);
        next++;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
