/**
 * Collect the string values of a module that may hold references, each with its local names
 * (dynamic-block iterators) and the line of the block it belongs to. Skipped on purpose: the
 * `terraform` block, `moved`/`removed` (they name addresses that no longer exist), `provider`
 * meta-arguments (they name provider configurations), `lifecycle.ignore_changes` (attribute names)
 * and a variable's `type` (a type expression: `string` is not a reference).
 */
import { blockLine } from './locate.js';
import { bodies, namedBlocks, typedBlocks, type TfFile } from './declarations.js';
import type { RefSite } from './references.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Name a dynamic block's iterator gets: `iterator = x` (hcl2json gives "${x}") or the block label. */
function iteratorName(label: string, inst: Obj): string {
  const it = inst.iterator;
  return typeof it === 'string' ? it.replace(/^\$\{|\}$/g, '') : label;
}

function walk(
  value: unknown,
  locals: ReadonlySet<string>,
  top: boolean,
  push: (v: string, locals: ReadonlySet<string>) => void,
): void {
  if (typeof value === 'string') {
    if (value.includes('${') || value.includes('%{')) push(value, locals);
  } else if (Array.isArray(value)) {
    for (const v of value) walk(v, locals, false, push);
  } else if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) {
      // provider meta-arguments name provider configurations, not objects
      if (top && (key === 'provider' || key === 'providers')) continue;
      if (key === 'lifecycle') {
        for (const l of Array.isArray(v) ? v : [v])
          if (isObj(l)) walk({ ...l, ignore_changes: undefined }, locals, false, push);
      } else if (key === 'dynamic' && isObj(v)) {
        for (const [label, insts] of Object.entries(v)) {
          for (const inst of Array.isArray(insts) ? insts.filter(isObj) : [])
            walk(inst, new Set([...locals, iteratorName(label, inst)]), false, push);
        }
      } else {
        walk(v, locals, false, push);
      }
    }
  }
}

/** Every reference-bearing string of one file. */
export function sitesOf(f: TfFile): RefSite[] {
  const out: RefSite[] = [];
  const add = (body: unknown, line: number | undefined): void =>
    walk(body, new Set(), true, (value, locals) => out.push({ file: f.file, lines: f.lines, line, value, locals }));
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, name, bs] of typedBlocks(f.json[kind]))
      for (const b of bs) add(b, blockLine(f.lines, kind, [type, name]));
  }
  for (const kind of ['variable', 'output', 'module', 'provider', 'check'] as const) {
    for (const [name, bs] of namedBlocks(f.json[kind])) {
      for (const b of bs) add(kind === 'variable' ? { ...b, type: undefined } : b, blockLine(f.lines, kind, [name]));
    }
  }
  for (const kind of ['locals', 'import'] as const) {
    for (const b of bodies(f.json[kind])) add(b, blockLine(f.lines, kind, []));
  }
  return out;
}
