/**
 * `create-canary-pipeline … | head -c 10`: the reader goes away while the CLI still writes. Without the
 * bin's EPIPE handling this crashed with an unhandled 'error' event (exit 1, a stack on stderr) in most
 * runs; the run must finish, write its files and exit with its own code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';

const bin = new URL('../bin/create-canary-pipeline.js', import.meta.url).pathname;

function piped(args: string, cwd: string): { status: number | null; stderr: string } {
  const r = spawnSync(
    'bash',
    ['-c', `set -o pipefail; "${process.execPath}" "${bin}" ${args} | head -c 10 > /dev/null`],
    { cwd, encoding: 'utf8' },
  );
  return { status: r.status, stderr: r.stderr };
}

describe('stdout closed early by the reader', () => {
  it.each([1, 2, 3, 4, 5, 6])('a scaffold piped into head -c 10 exits 0 with its files written (run %i)', () => {
    const cwd = tempDir('ccp-epipe-');
    expect(piped('out --yes --example --skip-install', cwd)).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(cwd, 'out/.yo-rc.json'))).toBe(true);
  });

  it('--help piped into head -c 10 exits 0', () => {
    expect(piped('--help', tempDir('ccp-epipe-'))).toEqual({ status: 0, stderr: '' });
  });
});
