// Benchmark: time a non-interactive scaffold end to end (a fresh node process per run, like a user).
// Usage: npm run bench [-- runs]   (default 7 runs). Prints every run and the median.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 7);
const bin = fileURLToPath(new URL('../bin/create-canary-pipeline.js', import.meta.url));
const times = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-bench-'));
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, dir, '--yes', '--example'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`run ${i + 1} failed (${r.status}): ${r.stderr}`);
  times.push(ms);
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms`);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`median of ${runs}: ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)})`);
