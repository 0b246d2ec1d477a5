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
 * Which expressions create a client, and the probe of each kind: detect/client-kinds.ts.
 */
import type * as t from '@babel/types';
import { walk } from './ast.js';
import {
  candidates,
  creationKind,
  defaultConnectionCall,
  KINDS,
  moduleBindings,
  type Bindings,
  type Kind,
  type ProbeStyle,
  type SiteRole,
} from './client-kinds.js';

export type { ProbeStyle, SiteRole } from './client-kinds.js';

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

/** Whether `anchor` declares `name` as an untyped, uninitialised `let`/`var` (an implicit-any variable in TS). */
function untypedDeclaration(anchor: t.Statement, name: string): boolean {
  const d = anchor.type === 'ExportNamedDeclaration' ? anchor.declaration : anchor;
  if (d?.type !== 'VariableDeclaration') return false;
  const v = d.declarations.find((x) => x.id.type === 'Identifier' && x.id.name === name);
  return v !== undefined && v.init == null && v.id.type === 'Identifier' && !v.id.typeAnnotation;
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
    return (
      d?.type === 'VariableDeclaration' && d.declarations.some((v) => v.id.type === 'Identifier' && v.id.name === name)
    );
  });
}

/**
 * A lazy singleton: `let db; export function getDb() { if (!db) db = knex(…); return db; }`. The client
 * exists only once the getter ran, so the probe calls the getter (registered after its declaration).
 */
function lazyGetter(
  ast: t.File,
  anc: readonly t.Node[],
  binding: string,
): { name: string; statement: t.Statement } | undefined {
  const fn = [...anc].reverse().find((a): a is t.FunctionDeclaration => a.type === 'FunctionDeclaration');
  if (!fn?.id || fn.params.length !== 0) return undefined;
  let returns = false;
  walk(fn.body, (n) => {
    if (n.type === 'ReturnStatement' && n.argument?.type === 'Identifier' && n.argument.name === binding)
      returns = true;
  });
  const statement = ast.program.body.find(
    (s) => s === fn || (s.type === 'ExportNamedDeclaration' && s.declaration === fn),
  );
  return returns && statement ? { name: fn.id.name, statement } : undefined;
}

/** Whether `anc` (ancestors of a node) holds a function: the node runs when that function runs. */
const insideFunction = (anc: readonly t.Node[]): boolean =>
  anc.some((a) => /Function|ClassMethod|ObjectMethod/.test(a.type));

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
    if (found)
      return {
        role: found.kind.role,
        client: found.kind.client,
        line: e.loc?.start.line ?? 0,
        probe: (binding, style) => found.kind.probe(binding, style, found.module),
      };
  }
  return undefined;
}

/** Sites and unwired clients of one file, and the client it default-exports (if any). */
export function findClientSites(
  ast: t.File,
  style: ProbeStyle,
): { sites: ClientSite[]; unwired: UnwiredClient[]; defaultExport?: DefaultExportClient } {
  const b = moduleBindings(ast);
  const sites: ClientSite[] = [];
  const unwired: UnwiredClient[] = [];
  const seen = new Set<string>();
  const add = (
    kind: Kind,
    module: string,
    binding: string,
    anchor: t.Statement | undefined,
    node: t.Node,
    anc: readonly t.Node[],
  ): void => {
    const line = node.loc?.start.line ?? 0;
    if (!anchor) {
      if (insideFunction(anc))
        unwired.push({
          role: kind.role,
          client: kind.client,
          line,
          why: 'it is created inside a function (it may be created more than once)',
        });
      return;
    }
    if (style.ts && style.noImplicitAny && !binding.endsWith('()') && untypedDeclaration(anchor, binding)) {
      unwired.push({
        role: kind.role,
        client: kind.client,
        line,
        why: `\`${binding}\` is declared without a type, which a check cannot read under noImplicitAny`,
      });
      return;
    }
    const key = `${kind.client}:${binding}`;
    if (seen.has(key)) return;
    seen.add(key);
    sites.push({
      role: kind.role,
      client: kind.client,
      binding,
      probe: kind.probe(binding, style, module),
      anchor,
      line,
    });
  };
  walk(ast.program, (n, anc) => {
    const parent = anc[anc.length - 1];
    const lib = defaultConnectionCall(n, anc, b);
    if (lib && n.type === 'CallExpression' && n.callee.type === 'Identifier') {
      const binding = n.callee.name;
      const anchor = ast.program.body.find((st) => declaresName(st, binding));
      if (anchor && !seen.has(`${lib.client}:default`)) {
        seen.add(`${lib.client}:default`);
        sites.push({
          role: 'database',
          client: lib.client,
          binding,
          probe: lib.probe(style),
          anchor,
          line: n.loc?.start.line ?? 0,
        });
      }
    } else if (n.type === 'VariableDeclarator' && n.init && n.id.type === 'Identifier') {
      for (const e of candidates(n.init)) {
        const found = creationKind(e, b);
        if (found)
          add(
            found.kind,
            found.module,
            n.id.name,
            insideFunction(anc) ? undefined : topLevelDeclaration(ast, n.id.name),
            e,
            anc,
          );
      }
    } else if (n.type === 'AssignmentExpression' && n.operator === '=' && parent?.type !== 'VariableDeclarator') {
      const target = memberName(n.left);
      for (const e of candidates(n.right)) {
        const found = creationKind(e, b);
        if (!found || !target) continue;
        const getter = target.includes('.') ? undefined : lazyGetter(ast, anc, target);
        const anchor =
          target === 'module.exports' || target.startsWith('exports.')
            ? insideFunction(anc)
              ? undefined
              : (anc[1] as t.Statement | undefined)
            : target.includes('.')
              ? undefined
              : (getter?.statement ?? topLevelDeclaration(ast, target));
        add(found.kind, found.module, getter ? `${getter.name}()` : target, anchor, e, anc);
      }
    } else if (
      n.type === 'CallExpression' &&
      n.callee.type === 'MemberExpression' &&
      n.callee.property.type === 'Identifier' &&
      n.callee.property.name === 'connect' &&
      n.callee.object.type === 'Identifier'
    ) {
      // mongoose.connect(): the default connection, reachable through the module binding.
      const owner = b.get(n.callee.object.name);
      if (owner?.module !== 'mongoose' || !['default', '*'].includes(owner.imported)) return;
      const kind = KINDS.find((k) => k.client === 'mongoose')!;
      const anchor = ast.program.body.find((s) =>
        declaresName(
          s,
          n.callee.type === 'MemberExpression' && n.callee.object.type === 'Identifier' ? n.callee.object.name : '',
        ),
      );
      const binding = (n.callee.object as t.Identifier).name;
      if (anchor && !seen.has(`mongoose:${binding}.connection`)) {
        seen.add(`mongoose:${binding}.connection`);
        sites.push({
          role: 'database',
          client: 'mongoose',
          binding: `${binding}.connection`,
          probe: kind.probe(`${binding}.connection`, style, 'mongoose'),
          anchor,
          line: n.loc?.start.line ?? 0,
        });
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
  return d.declarations.some(
    (v) =>
      (v.id.type === 'Identifier' && v.id.name === name) ||
      (v.id.type === 'ObjectPattern' &&
        v.id.properties.some(
          (p) => p.type === 'ObjectProperty' && p.value.type === 'Identifier' && p.value.name === name,
        )),
  );
}

/** The statement a site's registration goes after, found again in the current text of its file. */
export function anchorFor(ast: t.File, binding: string): t.Statement | undefined {
  if (binding === 'module.exports' || binding.startsWith('exports.')) {
    return ast.program.body.find(
      (s) =>
        s.type === 'ExpressionStatement' &&
        s.expression.type === 'AssignmentExpression' &&
        memberName(s.expression.left) === binding,
    );
  }
  if (binding.endsWith('()')) {
    const fn = binding.slice(0, -2);
    return ast.program.body.find((s) => {
      const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
      return d?.type === 'FunctionDeclaration' && d.id?.name === fn;
    });
  }
  const name = binding.endsWith('.connection') ? binding.slice(0, -'.connection'.length) : binding;
  return ast.program.body.find((s) => declaresName(s, name));
}
