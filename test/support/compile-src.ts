/**
 * Test support: the project's src/ compiled to plain ESM in a temp folder, for child processes that
 * must import a module directly (Node 20 runs no TypeScript, and the build's layout is not an API).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { tempDir } from './cli.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
let compiled: string | undefined;

/** Path of `src/<module>.js` in the compiled copy (compiled once per test file). */
export function compiledModule(module: string): string {
  if (!compiled) {
    compiled = tempDir('ccp-src-');
    for (const file of readdirSync(SRC, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const out = ts.transpileModule(readFileSync(join(SRC, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const target = join(compiled, 'src', file.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, out.outputText);
    }
    writeFileSync(join(compiled, 'package.json'), '{ "type": "module" }\n');
  }
  return join(compiled, 'src', `${relative('.', module)}.js`);
}
