/**
 * What a Terraform module (one directory) declares, gathered from every file's hcl2json output.
 */

/** Parsed file: relative path, source lines and hcl2json JSON. */
export interface TfFile {
  readonly file: string;
  readonly lines: readonly string[];
  readonly json: Record<string, unknown>;
}

/** Names declared in one module. */
export interface Declarations {
  readonly resources: Map<string, Set<string>>;
  readonly data: Map<string, Set<string>>;
  readonly variables: Set<string>;
  readonly locals: Set<string>;
  readonly modules: Set<string>;
  /** Addresses (`aws_x.y`, `data.aws_x.y`) with count or for_each: references need an instance key. */
  readonly multi: Set<string>;
  /** Blocks declared more than once (Terraform rejects them): file, kind and labels of each repeat. */
  readonly duplicates: { readonly file: string; readonly kind: string; readonly labels: readonly string[] }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{type: {name: …}}` sections (resource, data) as [type, name, bodies]. */
export function typedBlocks(section: unknown): [string, string, Obj[]][] {
  if (!isObj(section)) return [];
  return Object.entries(section).flatMap(([type, byName]) =>
    isObj(byName)
      ? Object.entries(byName).map(([name, bodies]): [string, string, Obj[]] => [
          type,
          name,
          Array.isArray(bodies) ? bodies.filter(isObj) : [],
        ])
      : [],
  );
}

/** `{name: [body]}` sections (variable, output, module, provider) as [name, bodies]. */
export function namedBlocks(section: unknown): [string, Obj[]][] {
  if (!isObj(section)) return [];
  return Object.entries(section).map(([name, bodies]) => [name, Array.isArray(bodies) ? bodies.filter(isObj) : []]);
}

/** `[body, …]` sections (locals, terraform, import, check) as bodies. */
export function bodies(section: unknown): Obj[] {
  return Array.isArray(section) ? section.filter(isObj) : [];
}

function add(map: Map<string, Set<string>>, type: string, name: string): boolean {
  let set = map.get(type);
  if (!set) {
    set = new Set();
    map.set(type, set);
  }
  if (set.has(name)) return false;
  set.add(name);
  return true;
}

/** Declarations of all files of one module. */
export function declarationsOf(files: readonly TfFile[]): Declarations {
  const d: Declarations = {
    resources: new Map(),
    data: new Map(),
    variables: new Set(),
    locals: new Set(),
    modules: new Set(),
    multi: new Set(),
    duplicates: [],
  };
  const named = new Map<string, Set<string>>();
  for (const { file, json } of files) {
    const dup = (kind: string, labels: string[]): void => {
      d.duplicates.push({ file, kind, labels });
    };
    const multi = (address: string, bs: Obj[]): void => {
      if (bs.some((b) => b.count !== undefined || b.for_each !== undefined)) d.multi.add(address);
    };
    for (const [type, name, bs] of typedBlocks(json.resource)) {
      if (!add(d.resources, type, name) || bs.length > 1) dup('resource', [type, name]);
      multi(`${type}.${name}`, bs);
    }
    for (const [type, name, bs] of typedBlocks(json.data)) {
      if (!add(d.data, type, name) || bs.length > 1) dup('data', [type, name]);
      multi(`data.${type}.${name}`, bs);
    }
    for (const kind of ['variable', 'module', 'output'] as const) {
      for (const [name, bs] of namedBlocks(json[kind])) if (!add(named, kind, name) || bs.length > 1) dup(kind, [name]);
    }
    for (const body of bodies(json.locals))
      for (const key of Object.keys(body)) if (!add(named, 'locals', key)) dup('local value', [key]);
  }
  for (const name of named.get('variable') ?? []) d.variables.add(name);
  for (const name of named.get('module') ?? []) d.modules.add(name);
  for (const name of named.get('locals') ?? []) d.locals.add(name);
  return d;
}
