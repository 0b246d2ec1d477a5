/** The runtime tests' services: the lookup fails loudly (never skips) when unconfigured; the start script is lint-clean. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { run } from './support/app-harness.js';
import { loadServices } from './support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'ccp-services-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadServices', () => {
  it('throws with the command to run when nothing is configured locally', () => {
    expect(() => loadServices({}, join(dir, 'missing.env'))).toThrow(
      /TEST_DATABASE_URL and TEST_REDIS_URL unset.*bash \.ci\/services\.sh/,
    );
  });

  it('throws in CI, naming what CI must do', () => {
    expect(() =>
      loadServices({ CI: 'true', TEST_REDIS_URL: 'redis://127.0.0.1:6379' }, join(dir, 'missing.env')),
    ).toThrow(/TEST_DATABASE_URL unset.*CI must start them/);
  });

  it('reads the env file .ci/services.sh writes, with the environment taking precedence', () => {
    const file = join(dir, 'services.env');
    writeFileSync(file, 'TEST_DATABASE_URL=postgres://u:p@127.0.0.1:5432/d\nTEST_REDIS_URL=redis://127.0.0.1:6379\n');
    expect(loadServices({}, file)).toEqual({
      databaseUrl: 'postgres://u:p@127.0.0.1:5432/d',
      redisUrl: 'redis://127.0.0.1:6379',
    });
    expect(loadServices({ TEST_REDIS_URL: 'redis://127.0.0.1:7000' }, file).redisUrl).toBe('redis://127.0.0.1:7000');
  });
});

it('.ci/services.sh passes shellcheck', async () => {
  const r = await run('shellcheck', ['.ci/services.sh'], { cwd: PACKAGE_ROOT }).catch((err: Error) => ({
    code: -1,
    stdout: '',
    stderr: `shellcheck not runnable: ${err.message}`,
  }));
  expect(r.code, r.stdout + r.stderr).toBe(0);
});
