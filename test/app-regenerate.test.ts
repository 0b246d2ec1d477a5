/**
 * The seed/managed split of the generated TS app survives an option change: src/app.ts (a seed, the
 * user's after the first run) must still compile with a re-rendered, managed src/server.ts that
 * now creates an extra client.
 */
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { run } from './support/app-harness.js';
import { renderAppTree } from './support/render-app.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it("ts: turning the cache on re-renders managed files that compile against the first run's seed files", async () => {
  const [first, second] = [mkdtempSync(join(tmpdir(), 'ccp-regen-')), mkdtempSync(join(tmpdir(), 'ccp-regen-'))];
  dirs.push(first, second);
  renderAppTree(first, { language: 'ts', database: 'postgres', cache: 'none' });
  const { specs } = renderAppTree(second, { language: 'ts', database: 'postgres', cache: 'redis' });
  const managed = specs.filter((s) => s.kind === 'managed').map((s) => s.path);
  expect(managed).toContain('src/server.ts');
  for (const p of managed) copyFileSync(join(second, p), join(first, p));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(first, 'node_modules'), 'dir');
  const build = await run(
    process.execPath,
    [join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
    { cwd: first },
  );
  expect(build.code, build.stdout + build.stderr).toBe(0);
});
