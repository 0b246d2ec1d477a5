import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Golden trees and fixture apps contain generated tests of their own: data here, not suites.
    exclude: ['**/node_modules/**', 'test/scenarios/**', 'test/fixtures/**'],
    // yeoman-test calls process.chdir: keep the default forks pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
