/**
 * Test support for the fuzz suites: the seed, folder snapshots ("nothing written"), the shape of a
 * user-error report (one line per problem, no stack), and a parse of every generated file.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { parseHcl } from '../validate/terraform/hcl.js';
import { STRICT_YAML } from '../validate/workflow/model.js';

/** The suite's seed: FUZZ_SEED reproduces a failure (every failure message names it). */
export function fuzzSeed(fallback: number): number {
  const s = process.env.FUZZ_SEED;
  return s === undefined ? fallback : Number(s);
}

/** Case count multiplier (FUZZ_SCALE=4 runs four times as many random cases). */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** Every entry below `dir` (directories too, so a created empty folder counts) with a content hash and mtime. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const st = lstatSync(full);
      const rel = relative(dir, full);
      if (st.isDirectory()) {
        out.set(`${rel}/`, `dir ${st.mode}`);
        if (name !== 'node_modules') walk(full);
      } else {
        const bytes = st.isSymbolicLink() ? 'link' : createHash('sha256').update(readFileSync(full)).digest('hex');
        out.set(rel, `${bytes} ${st.mtimeMs} ${st.mode}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** Paths that differ between two snapshots (added, removed or changed). */
export function snapshotDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

/** Why stderr is not a proper user-error report, or undefined when it is one. */
export function reportProblem(stderr: string): string | undefined {
  if (STACK.test(stderr)) return 'stderr holds a stack trace';
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length === 0) return 'stderr is empty';
  const odd = lines.find((l) => !/^(create-canary-pipeline: | {2}- |warning: |note: )/.test(l));
  return odd === undefined ? undefined : `stderr line is not a one-line problem: ${JSON.stringify(odd.slice(0, 200))}`;
}

/** The problem lines of a report (the `  - …` lines, or the single `create-canary-pipeline: …` line). */
export function problemLines(stderr: string): string[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith('  - '));
  return lines.length ? lines : stderr.split('\n').filter((l) => l.startsWith('create-canary-pipeline: '));
}

/** Parse findings of every YAML, JSON and HCL file in a generated tree (empty: the tree parses). */
export async function parseTree(dir: string, files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    try {
      if (/\.ya?ml$/.test(f)) {
        const doc = parseDocument(text, STRICT_YAML);
        for (const e of [...doc.errors, ...doc.warnings]) out.push(`${f}: ${e.message.split('\n')[0]}`);
      } else if (/\.json$/.test(f)) JSON.parse(text);
      else if (/\.(tf|tfvars)$/.test(f)) await parseHcl(f, text);
    } catch (e) {
      out.push(`${f}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

type Leaf = { path: string; type: string };

function leaves(node: Node | null | undefined, path: string, out: Leaf[]): void {
  if (isMap(node))
    for (const item of node.items)
      leaves(item.value as Node, `${path}.${String((item.key as { value?: unknown })?.value ?? item.key)}`, out);
  else if (isSeq(node))
    node.items.forEach((item, i) => {
      leaves(item as Node, `${path}[${i}]`, out);
    });
  else if (isScalar(node)) out.push({ path, type: node.value === null ? 'null' : typeof node.value });
}

/**
 * YAML leaves whose type differs between a reference tree and `dir` for the same file: a value
 * rendered unquoted that YAML reads as null, a boolean or a number where the reference has a string.
 */
export function yamlTypeChanges(refDir: string, dir: string, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files.filter((x) => /\.ya?ml$/.test(x) && existsSync(join(refDir, x)))) {
    const types = (d: string): Map<string, string> => {
      const l: Leaf[] = [];
      leaves(parseDocument(readFileSync(join(d, f), 'utf8')).contents as Node, '', l);
      return new Map(l.map((x) => [x.path, x.type]));
    };
    const ref = types(refDir);
    for (const [path, type] of types(dir))
      if (ref.has(path) && ref.get(path) !== type)
        out.push(`${f}${path}: ${ref.get(path)} in the reference, ${type} here`);
  }
  return out;
}
