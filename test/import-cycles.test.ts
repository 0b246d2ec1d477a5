/**
 * The stages under src/ depend on each other in one direction (detect → context → plan/patch → regen):
 * no folder imports, directly or through others, a folder that imports it back. Imports are read
 * from the sources with TypeScript's own pre-processor (static, type-only, re-exports, dynamic).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/**
 * No exceptions: options and context both read the canary models in src/model/, which read neither;
 * src/cli (the questions, the report) calls pipeline.ts, never the other way round. Kept as sets, so
 * an exception, if one is ever needed, is one visible entry.
 */
const THROUGH = new Set<string>();
const ALLOWED_EDGES = new Set<string>();

/** A folder of src/ (`detect`), or a file at its top (`pipeline.ts`). */
function nodeOf(root: string, file: string): string {
  return relative(root, file).split('/')[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Folder-level edges `from->to` with one importing file each (for the message). */
function folderEdges(root: string): Map<string, string> {
  const edges = new Map<string, string>();
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      if (relative(root, target).startsWith('..')) continue;
      const from = nodeOf(root, file);
      const to = nodeOf(root, target);
      if (from !== to && !edges.has(`${from}->${to}`)) edges.set(`${from}->${to}`, relative(root, file));
    }
  }
  return edges;
}

/** Strongly connected groups of more than one node (Tarjan), each sorted; `edges` are `a->b` keys. */
function cycles(edges: Iterable<string>): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = e.split('->') as [string, string];
    next.set(a, [...(next.get(a) ?? []), b]);
    if (!next.has(b)) next.set(b, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = ''; w !== v; ) {
      w = stack.pop()!;
      group.push(w);
    }
    if (group.length > 1) out.push(group.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import cycles between src/ folders', () => {
  it('finds a cycle when there is one, through any number of folders, and none in a chain', () => {
    expect(cycles(['a->b', 'b->c', 'c->a', 'c->d'])).toEqual([['a', 'b', 'c']]);
    expect(cycles(['plan->patch', 'patch->plan', 'regen->plan'])).toEqual([['patch', 'plan']]);
    expect(cycles(['a->b', 'b->c', 'a->c'])).toEqual([]);
  });

  it('reads type-only imports and re-exports as edges', () => {
    const edges = folderEdges(SRC);
    expect(edges.get('plan->patch')).toBeDefined(); // file-spec.ts: `import type { Patch } from '../patch/index.js'`
    expect(edges.get('regen->plan')).toBeDefined(); // regen/index.ts: `export type { PlannedFile } from '../plan/file-spec.js'`
  });

  it('has none outside the listed exceptions', () => {
    const edges = folderEdges(SRC);
    const kept = [...edges.keys()].filter((e) => !ALLOWED_EDGES.has(e) && !e.split('->').some((n) => THROUGH.has(n)));
    const found = cycles(kept).map(
      (group) =>
        `${group.join(' ↔ ')} (${kept
          .filter((e) => group.includes(e.split('->')[0]!) && group.includes(e.split('->')[1]!))
          .map((e) => `${e} in ${edges.get(e)}`)
          .join('; ')})`,
    );
    expect(found).toEqual([]);
  });
});
