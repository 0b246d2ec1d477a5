#!/usr/bin/env node
// Entry point of `npm create canary-pipeline` / `npx create-canary-pipeline`. The only place that exits.
import { runCli } from '../dist/cli.js';

// A reader that goes away early (`| head`) must not turn into an unhandled EPIPE crash: stop writing to
// that stream and let the run finish (its files are written atomically, the state file last).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = () => true;
  });
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    // Anything that is not a user error is a bug: show the stack.
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 70;
  });
