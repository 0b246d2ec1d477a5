/**
 * Generated TypeScript must typecheck: `tsc --noEmit` with the project's TypeScript on a scratch
 * copy of the tree whose node_modules is a symlink to this repository's (express, pg, redis and
 * @types/* resolve from there, as they would after `npm install` in the generated repo).
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../exec.js';
import { finding, type Finding } from '../finding.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const SKIP = /(^|\/)(node_modules|dist|\.git|\.terraform)(\/|$)/;

/** Used when the tree has no tsconfig.json: what the generator's own TS app would use. */
const DEFAULT_OPTIONS = {
  target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, esModuleInterop: true, types: ['node'],
};

function scratchCopy(dir: string, files: readonly string[]): string {
  const scratch = mkdtempSync(join(tmpdir(), 'validate-ts-'));
  cpSync(dir, scratch, { recursive: true, filter: (src) => !SKIP.test(src.slice(dir.length)) });
  symlinkSync(join(REPO, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const hasConfig = existsSync(join(dir, 'tsconfig.json'));
  // `files` adds every generated .ts file to whatever the tree's own include selects
  const config = hasConfig ? { extends: './tsconfig.json', files } : { compilerOptions: DEFAULT_OPTIONS, files };
  writeFileSync(join(scratch, 'tsconfig.validate.json'), JSON.stringify(config));
  return scratch;
}

/** Turn `src/app.ts(3,5): error TS2322: …` lines into findings. */
export function parseTscOutput(out: string): Finding[] {
  const found: Finding[] = [];
  for (const m of out.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)) {
    found.push(finding(m[1] ?? '', Number(m[2]), `tsc/${m[4]}`, `${m[5]} (column ${m[3]})`, 'fix the type error in the template'));
  }
  return found;
}

/** `tsc --noEmit` findings for the tree's TypeScript files (one compiler run for all of them). */
export async function validateTs(dir: string, files: readonly string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const scratch = scratchCopy(dir, files);
  try {
    const res = await run(process.execPath, [TSC, '-p', 'tsconfig.validate.json', '--noEmit', '--pretty', 'false'], { cwd: scratch });
    if (res.code === 0) return [];
    const found = parseTscOutput(res.stdout);
    return found.length ? found : [finding('tsconfig.json', undefined, 'tsc/failed', `tsc exited ${res.code}: ${(res.stdout + res.stderr).trim().slice(0, 400)}`, 'fix the TypeScript configuration')];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
