/**
 * A re-run renders the merge base (the saved answers' render) only when it can matter: when a managed
 * file on disk is neither the new render nor what the manifest recorded, i.e. the user edited it, and
 * the upgrade base (.create-canary-pipeline/base.json.gz) lacks a verified text for some managed file.
 * Counted at the template layer: every managed, seed and patch template render goes through it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ARGS, cli, tempDir } from './support/cli.js';
import { BASE_STORE } from '../src/regen/base-store.js';

const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/plan/templates.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/plan/templates.js')>();
  return {
    ...real,
    templateFunction: (rel: string) => {
      const fn = real.templateFunction(rel);
      return (data: Record<string, unknown>) => {
        renders.count++;
        return fn(data);
      };
    },
  };
});

const ARGS = ['--yes', '--service-name', 'api', ...ACCOUNT_ARGS];

async function renderCount(args: readonly string[], dir: string): Promise<number> {
  renders.count = 0;
  const r = await cli([...args], dir);
  expect(r.code, r.stderr).toBe(0);
  return renders.count;
}

describe('re-run rendering', () => {
  let dir = '';
  let first = 0;
  beforeEach(async () => {
    dir = tempDir('ccp-once-');
    first = await renderCount(ARGS, dir);
    expect(first).toBeGreaterThan(20);
  });

  it('without any change renders the plan once, like the first run', async () => {
    expect(await renderCount(ARGS, dir)).toBe(first);
  });

  it('with a changed option but no edited file still needs no merge base', async () => {
    expect(await renderCount([...ARGS, '--canary-percent', '20'], dir)).toBe(first);
  });

  it('with a user-edited managed file takes the merge base from the upgrade base: no second render', async () => {
    const file = join(dir, 'terraform/main.tf');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# kept by the user\n`);
    expect(await renderCount([...ARGS, '--canary-percent', '20'], dir)).toBe(first);
    expect(readFileSync(file, 'utf8')).toContain('# kept by the user\n');
  });

  it('with a user-edited managed file and no upgrade base renders the merge base as well, and keeps the edit', async () => {
    rmSync(join(dir, BASE_STORE));
    const file = join(dir, 'terraform/main.tf');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# kept by the user\n`);
    const count = await renderCount([...ARGS, '--canary-percent', '20'], dir);
    expect(count).toBeGreaterThan(first);
    expect(readFileSync(file, 'utf8')).toContain('# kept by the user\n');
  });
});
