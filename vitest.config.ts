import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // yeoman-test calls process.chdir: keep the default forks pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
