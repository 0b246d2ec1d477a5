#!/usr/bin/env node
// Entry point of `npm create canary-pipeline` / `npx create-canary-pipeline`. The only place that exits.
import { runCli } from '../dist/src/cli/run.js';

runCli(process.argv.slice(2), { cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    // Anything that is not a user error is a bug: show the stack.
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 70;
  });
