/**
 * Where a service creates its database and cache clients, so /readyz can probe the app's own
 * connection object (its pool, its config, its credentials) instead of guessing a second one.
 *
 * A site is a module-level binding that holds a client: `const pool = new Pool()`,
 * `export const prisma = global.prisma || new PrismaClient()`, `let pool;` assigned later by
 * `pool = mysql.createPool(…)`, `module.exports = knex(config)`, or the mongoose module itself when the
 * file calls `mongoose.connect()` (the default connection). The probe is a one-line expression on that
 * binding, registered right after its declaration; it reads the binding lazily, so a client created
 * later (in an init function) is probed once it exists and fails the check until then.
 * Clients created inside functions are reported, not patched: they may be created per request.
 */
import type * as t from '@babel/types';
import { bindingsOf, requireSource, walk } from './ast.js';

/** What a readiness check covers. */
export type SiteRole = 'database' | 'cache';

/** A client the app creates at module level, and the probe /readyz runs on it. */
export interface ClientSite {
  readonly role: SiteRole;
  /** npm package, e.g. `pg`, `mysql2`, `mongoose`. */
  readonly client: string;
  /** Name the probe uses (`pool`, `module.exports`, the mongoose binding). */
  readonly binding: string;
  /** The probe expression, e.g. `pool.query('SELECT 1')`. */
  readonly probe: string;
  /** Top-level statement the registration goes after. */
  readonly anchor: t.Statement;
  /** 1-based line of the creation, for the report. */
  readonly line: number;
}

/** A client created where it cannot be probed safely (inside a function), for the report. */
export interface UnwiredClient {
  readonly role: SiteRole;
  readonly client: string;
  readonly line: number;
  readonly why: string;
}

/** Options that change a probe's text. */
export interface ProbeStyle {
  /** TypeScript: a non-null assertion where a client's typings make a property optional. */
  readonly ts: boolean;
  /** node-redis before v4 answers with callbacks. */
  readonly redisCallbacks: boolean;
  /** Prisma on MongoDB has no SQL. */
  readonly prismaMongo: boolean;
  /** TypeScript with noImplicitAny: an untyped `let x;` cannot be read in the probe's closure. */
  readonly noImplicitAny?: boolean;
}

/** Whether `anchor` declares `name` as an untyped, uninitialised `let`/`var` (an implicit-any variable in TS). */
function untypedDeclaration(anchor: t.Statement, name: string): boolean {
  const d = anchor.type === 'ExportNamedDeclaration' ? anchor.declaration : anchor;
  if (d?.type !== 'VariableDeclaration') return false;
  const v = d.declarations.find((x) => x.id.type === 'Identifier' && x.id.name === name);
  return v !== undefined && v.init == null && v.id.type === 'Identifier' && !v.id.typeAnnotation;
}

interface Kind {
  readonly client: string;
  readonly role: SiteRole;
  readonly modules: readonly string[];
  /** Constructors (`new X()`, `new ns.X()`) by exported name; `default`/`*` when the module itself is the class. */
  readonly ctors?: readonly string[];
  /** Factories (`createPool(…)`, `ns.createPool(…)`) by exported name; `default`/`*` when the module itself is called. */
  readonly calls?: readonly string[];
  readonly probe: (b: string, style: ProbeStyle, module: string) => string;
}

const bang = (s: ProbeStyle): string => (s.ts ? '!' : '');

const KINDS: readonly Kind[] = [
  { client: 'pg', role: 'database', modules: ['pg'], ctors: ['Pool', 'Client'], probe: (b) => `${b}.query('SELECT 1')` },
  {
    client: 'mysql2', role: 'database', modules: ['mysql2', 'mysql2/promise'], calls: ['createPool', 'createConnection'],
    probe: (b, _s, m) => (m === 'mysql2/promise' ? `${b}.query('SELECT 1')` : `${b}.promise().query('SELECT 1')`),
  },
  { client: 'mongoose', role: 'database', modules: ['mongoose'], calls: ['createConnection'], probe: (b, s) => `${b}.db${bang(s)}.admin().ping()` },
  { client: 'mongodb', role: 'database', modules: ['mongodb'], ctors: ['MongoClient'], calls: ['connect'], probe: (b) => `${b}.db().command({ ping: 1 })` },
  {
    client: 'prisma', role: 'database', modules: ['@prisma/client'], ctors: ['PrismaClient'],
    probe: (b, s) => (s.prismaMongo ? `${b}.$runCommandRaw({ ping: 1 })` : `${b}.$queryRaw\`SELECT 1\``),
  },
  { client: 'knex', role: 'database', modules: ['knex'], calls: ['knex', 'default', '*'], probe: (b) => `${b}.raw('select 1')` },
  { client: 'sequelize', role: 'database', modules: ['sequelize', 'sequelize-typescript'], ctors: ['Sequelize', 'default', '*'], probe: (b) => `${b}.authenticate()` },
  { client: 'typeorm', role: 'database', modules: ['typeorm'], ctors: ['DataSource'], calls: ['createConnection'], probe: (b) => `${b}.query('SELECT 1')` },
  {
    client: 'redis', role: 'cache', modules: ['redis'], calls: ['createClient'],
    probe: (b, s) => (s.redisCallbacks ? `new Promise((resolve, reject) => ${b}.ping((err) => (err ? reject(err) : resolve(undefined))))` : `${b}.ping()`),
  },
  { client: 'ioredis', role: 'cache', modules: ['ioredis'], ctors: ['default', 'Redis', '*'], probe: (b) => `${b}.ping()` },
];

/** Strip wrappers that keep the value: `await x`, `(x)`, `x as T`, `x!`, `a || x`, `c ? x : y`. */
function candidates(e: t.Node): t.Node[] {
  switch (e.type) {
    case 'AwaitExpression': return candidates(e.argument);
    case 'ParenthesizedExpression': case 'TSAsExpression': case 'TSNonNullExpression': case 'TSSatisfiesExpression': case 'TypeCastExpression':
      return candidates(e.expression);
    case 'LogicalExpression': return [...candidates(e.left), ...candidates(e.right)];
    case 'ConditionalExpression': return [...candidates(e.consequent), ...candidates(e.alternate)];
    case 'CallExpression':
      // `new Pool().on(...)`-style chains are not the client; `knex(config)` and `createPool(…)` are.
      return [e];
    default: return [e];
  }
}

type Bindings = ReadonlyMap<string, { module: string; imported: string }>;

function moduleBindings(ast: t.File): Bindings {
  const out = new Map<string, { module: string; imported: string }>();
  const modules = new Set(KINDS.flatMap((k) => k.modules));
  for (const module of modules) for (const [local, imported] of bindingsOf(ast, (s) => s === module)) out.set(local, { module, imported });
  return out;
}

/** The kind and module a creation expression makes, or undefined. */
function creationKind(e: t.Node, b: Bindings): { kind: Kind; module: string } | undefined {
  const find = (module: string, test: (k: Kind) => boolean): { kind: Kind; module: string } | undefined => {
    const kind = KINDS.find((k) => k.modules.includes(module) && test(k));
    return kind ? { kind, module } : undefined;
  };
  if (e.type === 'NewExpression') {
    const c = e.callee;
    if (c.type === 'Identifier' && b.has(c.name)) {
      const { module, imported } = b.get(c.name)!;
      return find(module, (k) => (k.ctors ?? []).includes(imported));
    }
    if (c.type === 'MemberExpression' && c.object.type === 'Identifier' && c.property.type === 'Identifier' && b.has(c.object.name)) {
      const { module, imported } = b.get(c.object.name)!;
      const name = c.property.name;
      return ['default', '*'].includes(imported) ? find(module, (k) => (k.ctors ?? []).includes(name)) : undefined;
    }
    return undefined;
  }
  if (e.type !== 'CallExpression') return undefined;
  const c = e.callee;
  const direct = requireSource(c);
  if (direct !== undefined) return find(direct, (k) => (k.calls ?? []).includes('*'));
  if (c.type === 'Identifier' && b.has(c.name)) {
    const { module, imported } = b.get(c.name)!;
    return find(module, (k) => (k.calls ?? []).includes(imported));
  }
  if (c.type === 'MemberExpression' && c.property.type === 'Identifier' && c.object.type === 'Identifier') {
    const name = c.property.name;
    const owner = b.get(c.object.name);
    if (owner && ['default', '*'].includes(owner.imported)) return find(owner.module, (k) => (k.calls ?? []).includes(name));
    // `MongoClient.connect(url)`: a static factory on an imported class.
    if (owner && name === 'connect') return find(owner.module, (k) => (k.ctors ?? []).includes(owner.imported));
  }
  return undefined;
}

/** Text of a member chain like `module.exports`, else undefined. */
function memberName(n: t.Node): string | undefined {
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
    const o = memberName(n.object);
    return o ? `${o}.${n.property.name}` : undefined;
  }
  return undefined;
}

/** The top-level statement declaring `name` (var/let/const, possibly exported), if any. */
function topLevelDeclaration(ast: t.File, name: string): t.Statement | undefined {
  return ast.program.body.find((s) => {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    return d?.type === 'VariableDeclaration' && d.declarations.some((v) => v.id.type === 'Identifier' && v.id.name === name);
  });
}

/**
 * A lazy singleton: `let db; export function getDb() { if (!db) db = knex(…); return db; }`. The client
 * exists only once the getter ran, so the probe calls the getter (registered after its declaration).
 */
function lazyGetter(ast: t.File, anc: readonly t.Node[], binding: string): { name: string; statement: t.Statement } | undefined {
  const fn = [...anc].reverse().find((a): a is t.FunctionDeclaration => a.type === 'FunctionDeclaration');
  if (!fn?.id || fn.params.length !== 0) return undefined;
  let returns = false;
  walk(fn.body, (n) => {
    if (n.type === 'ReturnStatement' && n.argument?.type === 'Identifier' && n.argument.name === binding) returns = true;
  });
  const statement = ast.program.body.find((s) => s === fn || (s.type === 'ExportNamedDeclaration' && s.declaration === fn));
  return returns && statement ? { name: fn.id.name, statement } : undefined;
}

/** Whether `anc` (ancestors of a node) holds a function: the node runs when that function runs. */
const insideFunction = (anc: readonly t.Node[]): boolean => anc.some((a) => /Function|ClassMethod|ObjectMethod/.test(a.type));

/**
 * Libraries whose bare connect call opens a process-wide default connection (`connect(url)` from
 * mongoose, TypeORM's `createConnection(options)`), often inside an init method: the probe reaches that
 * connection through the module itself (a dynamic import, valid in CommonJS and ES module output alike).
 */
const DEFAULT_CONNECTIONS: readonly { readonly module: string; readonly call: string; readonly client: string; readonly probe: (s: ProbeStyle) => string }[] = [
  { module: 'mongoose', call: 'connect', client: 'mongoose', probe: (s) => `import('mongoose').then((m) => (m.default || m).connection.db${bang(s)}.admin().ping())` },
  { module: 'typeorm', call: 'createConnection', client: 'typeorm', probe: () => `import('typeorm').then((m) => m.getConnection().query('SELECT 1'))` },
];

/** A bare `connect(…)` / `createConnection(…)` statement (its result kept nowhere) of a DEFAULT_CONNECTIONS library. */
function defaultConnectionCall(n: t.Node, anc: readonly t.Node[], b: Bindings): (typeof DEFAULT_CONNECTIONS)[number] | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier') return undefined;
  const owner = b.get(n.callee.name);
  const lib = owner && DEFAULT_CONNECTIONS.find((d) => d.module === owner.module && d.call === owner.imported);
  if (!lib) return undefined;
  const parent = anc[anc.length - 1];
  const statement = parent?.type === 'AwaitExpression' ? anc[anc.length - 2] : parent;
  return statement?.type === 'ExpressionStatement' ? lib : undefined;
}

/** A client that is the module's `export default` (`export default knex(config)`): probed through an importer's binding. */
export interface DefaultExportClient {
  readonly role: SiteRole;
  readonly client: string;
  readonly line: number;
  /** The probe on the name an importing file binds the default export to. */
  readonly probe: (binding: string, style: ProbeStyle) => string;
}

/** The client a module-level `export default <creation>` makes, else undefined. */
function defaultExportClient(ast: t.File, b: Bindings): DefaultExportClient | undefined {
  const d = ast.program.body.find((s): s is t.ExportDefaultDeclaration => s.type === 'ExportDefaultDeclaration');
  if (!d?.declaration || /Declaration$/.test(d.declaration.type)) return undefined;
  for (const e of candidates(d.declaration)) {
    const found = creationKind(e, b);
    if (found) return { role: found.kind.role, client: found.kind.client, line: e.loc?.start.line ?? 0, probe: (binding, style) => found.kind.probe(binding, style, found.module) };
  }
  return undefined;
}

/** Sites and unwired clients of one file, and the client it default-exports (if any). */
export function findClientSites(ast: t.File, style: ProbeStyle): { sites: ClientSite[]; unwired: UnwiredClient[]; defaultExport?: DefaultExportClient } {
  const b = moduleBindings(ast);
  const sites: ClientSite[] = [];
  const unwired: UnwiredClient[] = [];
  const seen = new Set<string>();
  const add = (kind: Kind, module: string, binding: string, anchor: t.Statement | undefined, node: t.Node, anc: readonly t.Node[]): void => {
    const line = node.loc?.start.line ?? 0;
    if (!anchor) {
      if (insideFunction(anc)) unwired.push({ role: kind.role, client: kind.client, line, why: 'it is created inside a function (it may be created more than once)' });
      return;
    }
    if (style.ts && style.noImplicitAny && !binding.endsWith('()') && untypedDeclaration(anchor, binding)) {
      unwired.push({ role: kind.role, client: kind.client, line, why: `\`${binding}\` is declared without a type, which a check cannot read under noImplicitAny` });
      return;
    }
    const key = `${kind.client}:${binding}`;
    if (seen.has(key)) return;
    seen.add(key);
    sites.push({ role: kind.role, client: kind.client, binding, probe: kind.probe(binding, style, module), anchor, line });
  };
  walk(ast.program, (n, anc) => {
    const parent = anc[anc.length - 1];
    const lib = defaultConnectionCall(n, anc, b);
    if (lib && n.type === 'CallExpression' && n.callee.type === 'Identifier') {
      const binding = n.callee.name;
      const anchor = ast.program.body.find((st) => declaresName(st, binding));
      if (anchor && !seen.has(`${lib.client}:default`)) {
        seen.add(`${lib.client}:default`);
        sites.push({ role: 'database', client: lib.client, binding, probe: lib.probe(style), anchor, line: n.loc?.start.line ?? 0 });
      }
    } else if (n.type === 'VariableDeclarator' && n.init && n.id.type === 'Identifier') {
      for (const e of candidates(n.init)) {
        const found = creationKind(e, b);
        if (found) add(found.kind, found.module, n.id.name, insideFunction(anc) ? undefined : topLevelDeclaration(ast, n.id.name), e, anc);
      }
    } else if (n.type === 'AssignmentExpression' && n.operator === '=' && parent?.type !== 'VariableDeclarator') {
      const target = memberName(n.left);
      for (const e of candidates(n.right)) {
        const found = creationKind(e, b);
        if (!found || !target) continue;
        const getter = target.includes('.') ? undefined : lazyGetter(ast, anc, target);
        const anchor = target === 'module.exports' || target.startsWith('exports.') ? (insideFunction(anc) ? undefined : (anc[1] as t.Statement | undefined)) : target.includes('.') ? undefined : (getter?.statement ?? topLevelDeclaration(ast, target));
        add(found.kind, found.module, getter ? `${getter.name}()` : target, anchor, e, anc);
      }
    } else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.property.type === 'Identifier' && n.callee.property.name === 'connect' && n.callee.object.type === 'Identifier') {
      // mongoose.connect(): the default connection, reachable through the module binding.
      const owner = b.get(n.callee.object.name);
      if (owner?.module !== 'mongoose' || !['default', '*'].includes(owner.imported)) return;
      const kind = KINDS.find((k) => k.client === 'mongoose')!;
      const anchor = ast.program.body.find((s) => declaresName(s, n.callee.type === 'MemberExpression' && n.callee.object.type === 'Identifier' ? n.callee.object.name : ''));
      const binding = (n.callee.object as t.Identifier).name;
      if (anchor && !seen.has(`mongoose:${binding}.connection`)) {
        seen.add(`mongoose:${binding}.connection`);
        sites.push({ role: 'database', client: 'mongoose', binding: `${binding}.connection`, probe: kind.probe(`${binding}.connection`, style, 'mongoose'), anchor, line: n.loc?.start.line ?? 0 });
      }
    }
  });
  const defaultExport = defaultExportClient(ast, b);
  return { sites, unwired, ...(defaultExport ? { defaultExport } : {}) };
}

/** Whether a top-level statement binds `name` (an import or a variable declaration). */
function declaresName(s: t.Statement, name: string): boolean {
  if (s.type === 'ImportDeclaration') return s.specifiers.some((sp) => sp.local.name === name);
  if (s.type === 'TSImportEqualsDeclaration') return s.id.name === name;
  const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
  if (d?.type !== 'VariableDeclaration') return false;
  return d.declarations.some((v) => (v.id.type === 'Identifier' && v.id.name === name) || (v.id.type === 'ObjectPattern' && v.id.properties.some((p) => p.type === 'ObjectProperty' && p.value.type === 'Identifier' && p.value.name === name)));
}

/** The statement a site's registration goes after, found again in the current text of its file. */
export function anchorFor(ast: t.File, binding: string): t.Statement | undefined {
  if (binding === 'module.exports' || binding.startsWith('exports.')) {
    return ast.program.body.find((s) => s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && memberName(s.expression.left) === binding);
  }
  if (binding.endsWith('()')) {
    const fn = binding.slice(0, -2);
    return ast.program.body.find((s) => { const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s; return d?.type === 'FunctionDeclaration' && d.id?.name === fn; });
  }
  const name = binding.endsWith('.connection') ? binding.slice(0, -'.connection'.length) : binding;
  return ast.program.body.find((s) => declaresName(s, name));
}
