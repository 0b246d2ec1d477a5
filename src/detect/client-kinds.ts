/**
 * The database and cache clients /readyz can probe, and how to recognise one being created: the
 * catalogue of client kinds (package, constructors or factories, the probe), the names a file binds
 * their modules to, and the libraries whose bare connect call opens a process-wide default connection.
 * detect/sites.ts finds where a service keeps such a client.
 */
import type * as t from '@babel/types';
import { bindingsOf, requireSource } from './ast.js';

/** What a readiness check covers. */
export type SiteRole = 'database' | 'cache';

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

/** One kind of client: its package, how it is created, and its one-line probe. */
export interface Kind {
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

export const KINDS: readonly Kind[] = [
  {
    client: 'pg',
    role: 'database',
    modules: ['pg'],
    ctors: ['Pool', 'Client'],
    probe: (b) => `${b}.query('SELECT 1')`,
  },
  {
    client: 'mysql2',
    role: 'database',
    modules: ['mysql2', 'mysql2/promise'],
    calls: ['createPool', 'createConnection'],
    probe: (b, _s, m) => (m === 'mysql2/promise' ? `${b}.query('SELECT 1')` : `${b}.promise().query('SELECT 1')`),
  },
  {
    client: 'mongoose',
    role: 'database',
    modules: ['mongoose'],
    calls: ['createConnection'],
    probe: (b, s) => `${b}.db${bang(s)}.admin().ping()`,
  },
  {
    client: 'mongodb',
    role: 'database',
    modules: ['mongodb'],
    ctors: ['MongoClient'],
    calls: ['connect'],
    probe: (b) => `${b}.db().command({ ping: 1 })`,
  },
  {
    client: 'prisma',
    role: 'database',
    modules: ['@prisma/client'],
    ctors: ['PrismaClient'],
    probe: (b, s) => (s.prismaMongo ? `${b}.$runCommandRaw({ ping: 1 })` : `${b}.$queryRaw\`SELECT 1\``),
  },
  {
    client: 'knex',
    role: 'database',
    modules: ['knex'],
    calls: ['knex', 'default', '*'],
    probe: (b) => `${b}.raw('select 1')`,
  },
  {
    client: 'sequelize',
    role: 'database',
    modules: ['sequelize', 'sequelize-typescript'],
    ctors: ['Sequelize', 'default', '*'],
    probe: (b) => `${b}.authenticate()`,
  },
  {
    client: 'typeorm',
    role: 'database',
    modules: ['typeorm'],
    ctors: ['DataSource'],
    calls: ['createConnection'],
    probe: (b) => `${b}.query('SELECT 1')`,
  },
  {
    client: 'redis',
    role: 'cache',
    modules: ['redis'],
    calls: ['createClient'],
    probe: (b, s) =>
      s.redisCallbacks
        ? `new Promise((resolve, reject) => ${b}.ping((err) => (err ? reject(err) : resolve(undefined))))`
        : `${b}.ping()`,
  },
  {
    client: 'ioredis',
    role: 'cache',
    modules: ['ioredis'],
    ctors: ['default', 'Redis', '*'],
    probe: (b) => `${b}.ping()`,
  },
];

/** Strip wrappers that keep the value: `await x`, `(x)`, `x as T`, `x!`, `a || x`, `c ? x : y`. */
export function candidates(e: t.Node): t.Node[] {
  switch (e.type) {
    case 'AwaitExpression':
      return candidates(e.argument);
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
    case 'TypeCastExpression':
      return candidates(e.expression);
    case 'LogicalExpression':
      return [...candidates(e.left), ...candidates(e.right)];
    case 'ConditionalExpression':
      return [...candidates(e.consequent), ...candidates(e.alternate)];
    case 'CallExpression':
      // `new Pool().on(...)`-style chains are not the client; `knex(config)` and `createPool(…)` are.
      return [e];
    default:
      return [e];
  }
}

/** Local names bound to a client module, with the module and the imported name. */
export type Bindings = ReadonlyMap<string, { module: string; imported: string }>;

export function moduleBindings(ast: t.File): Bindings {
  const out = new Map<string, { module: string; imported: string }>();
  const modules = new Set(KINDS.flatMap((k) => k.modules));
  for (const module of modules)
    for (const [local, imported] of bindingsOf(ast, (s) => s === module)) out.set(local, { module, imported });
  return out;
}

/** The kind and module a creation expression makes, or undefined. */
export function creationKind(e: t.Node, b: Bindings): { kind: Kind; module: string } | undefined {
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
    if (
      c.type === 'MemberExpression' &&
      c.object.type === 'Identifier' &&
      c.property.type === 'Identifier' &&
      b.has(c.object.name)
    ) {
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
    if (owner && ['default', '*'].includes(owner.imported))
      return find(owner.module, (k) => (k.calls ?? []).includes(name));
    // `MongoClient.connect(url)`: a static factory on an imported class.
    if (owner && name === 'connect') return find(owner.module, (k) => (k.ctors ?? []).includes(owner.imported));
  }
  return undefined;
}

/**
 * Libraries whose bare connect call opens a process-wide default connection (`connect(url)` from
 * mongoose, TypeORM's `createConnection(options)`), often inside an init method: the probe reaches that
 * connection through the module itself (a dynamic import, valid in CommonJS and ES module output alike).
 */
export const DEFAULT_CONNECTIONS: readonly {
  readonly module: string;
  readonly call: string;
  readonly client: string;
  readonly probe: (s: ProbeStyle) => string;
}[] = [
  {
    module: 'mongoose',
    call: 'connect',
    client: 'mongoose',
    probe: (s) => `import('mongoose').then((m) => (m.default || m).connection.db${bang(s)}.admin().ping())`,
  },
  {
    module: 'typeorm',
    call: 'createConnection',
    client: 'typeorm',
    probe: () => `import('typeorm').then((m) => m.getConnection().query('SELECT 1'))`,
  },
];

/** A bare `connect(…)` / `createConnection(…)` statement (its result kept nowhere) of a DEFAULT_CONNECTIONS library. */
export function defaultConnectionCall(
  n: t.Node,
  anc: readonly t.Node[],
  b: Bindings,
): (typeof DEFAULT_CONNECTIONS)[number] | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier') return undefined;
  const owner = b.get(n.callee.name);
  const lib = owner && DEFAULT_CONNECTIONS.find((d) => d.module === owner.module && d.call === owner.imported);
  if (!lib) return undefined;
  const parent = anc[anc.length - 1];
  const statement = parent?.type === 'AwaitExpression' ? anc[anc.length - 2] : parent;
  return statement?.type === 'ExpressionStatement' ? lib : undefined;
}
