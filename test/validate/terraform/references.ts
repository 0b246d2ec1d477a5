/**
 * Resolve every reference in a module: resources and data sources must be declared and the first
 * attribute after their address must exist in the provider schema; var./local./module. must be
 * declared. Iteration names (for expressions, dynamic-block iterators) are locals, not references.
 */
import { finding, type Finding } from '../finding.js';
import { closest } from '../closest.js';
import type { Declarations } from './declarations.js';
import { expressionRefs, type ExprRef } from './hcl.js';
import { namesAfter } from './traversal.js';
import { dataSchema, hasAttribute, providerSchema, resourceSchema, type BlockSchema } from './schema.js';
import { textLine } from './locate.js';

/** Roots that are always defined (count.index, each.key, path.module, terraform.workspace, self in conditions). */
const BUILTIN = new Set(['each', 'count', 'path', 'terraform', 'self']);

/** A string value to resolve, with its locals and where it sits. */
export interface RefSite {
  readonly file: string;
  readonly lines: readonly string[];
  readonly line: number | undefined;
  readonly value: string;
  readonly locals: ReadonlySet<string>;
}

type Problem = readonly [rule: string, message: string, hint: string];

function checkAttr(schema: BlockSchema | undefined, address: string, attr: string | undefined): Problem | null {
  if (!schema || attr === undefined || hasAttribute(schema, attr)) return null;
  const near = closest(attr, [...Object.keys(schema.a), ...Object.keys(schema.b ?? {}), ...(schema.c ?? [])]);
  return [
    'terraform/unknown-attribute',
    `${address} has no attribute "${attr}"`,
    near ? `did you mean "${near}"?` : 'use an argument or exported attribute listed in the provider docs',
  ];
}

function declared(
  set: ReadonlySet<string> | undefined,
  name: string | undefined,
  kind: string,
  ref: string,
  hint: string,
): Problem | null {
  if (name === undefined) return ['terraform/bad-reference', `"${ref}" does not name a ${kind}`, hint];
  if (set?.has(name)) return null;
  const near = set ? closest(name, [...set]) : undefined;
  return [
    `terraform/undeclared-${kind.replace(' ', '-')}`,
    `"${ref}" refers to ${kind} "${name}", which is not declared in this module`,
    near ? `did you mean "${near}"?` : hint,
  ];
}

/**
 * `aws_x.y.attr` on a resource with count/for_each lacks an instance key; `aws_x.y[0]` on a single
 * resource has one too many (a splat is fine on both). `skip` = name steps of the address (2 or 3).
 */
function instanceKey(ref: ExprRef, address: string, skip: number, decl: Declarations): Problem | null {
  let names = 0;
  const next = ref.steps.find((s) => (s.kind === 'name' ? ++names > skip : true));
  if (!next) return null;
  if (decl.multi.has(address) && next.kind === 'name') {
    return [
      'terraform/missing-instance-key',
      `"${ref.source}": ${address} has count or for_each, so "${next.name}" needs an instance key first`,
      `use ${address}[<key>].${next.name}, or ${address}[*].${next.name} / values(${address})[*].${next.name} for all instances`,
    ];
  }
  if (!decl.multi.has(address) && next.kind === 'index' && !next.splat) {
    return [
      'terraform/unexpected-instance-key',
      `"${ref.source}": ${address} has neither count nor for_each, so it cannot be indexed`,
      `drop the index: ${address}.…`,
    ];
  }
  return null;
}

function resolve(ref: ExprRef, decl: Declarations): Problem | null {
  const names = namesAfter(ref.steps, 0);
  const [root, a, b, c] = names;
  if (root === undefined || BUILTIN.has(root)) return null;
  const schema = providerSchema();
  switch (root) {
    case 'var':
      return declared(decl.variables, a, 'variable', ref.source, 'add a variable block');
    case 'local':
      return declared(decl.locals, a, 'local', ref.source, 'add the value to a locals block');
    case 'module':
      return declared(decl.modules, a, 'module', ref.source, 'declare the module block or remove the reference');
    case 'data': {
      const ds = a === undefined ? undefined : dataSchema(a);
      if (a === undefined || !ds)
        return [
          'terraform/unknown-data-source',
          `"${ref.source}": no data source type "${a ?? ''}" in AWS provider ${schema.version}`,
          'check the data source type name',
        ];
      return (
        declared(decl.data.get(a), b, 'data source', ref.source, `add a data "${a}" "${b ?? ''}" block`) ??
        instanceKey(ref, `data.${a}.${b}`, 3, decl) ??
        checkAttr(ds, `data.${a}.${b}`, c)
      );
    }
    default: {
      const rs = resourceSchema(root);
      if (!rs && !decl.resources.has(root)) {
        return [
          'terraform/unknown-reference',
          `"${ref.source}" refers to "${root}", which is neither a resource type nor a known symbol`,
          'declare it, or use var./local./data. as intended',
        ];
      }
      return (
        declared(decl.resources.get(root), a, 'resource', ref.source, `add a resource "${root}" "${a ?? ''}" block`) ??
        instanceKey(ref, `${root}.${a}`, 2, decl) ??
        checkAttr(rs, `${root}.${a}`, b)
      );
    }
  }
}

/** Findings for every reference in `sites` (parsed concurrently; the WASM bridge queues calls). */
export async function referenceFindings(sites: readonly RefSite[], decl: Declarations): Promise<Finding[]> {
  const per = await Promise.all(
    sites.map(async (site) => {
      let refs: ExprRef[];
      try {
        refs = await expressionRefs(site.file, site.value, site.locals);
      } catch (e) {
        return [
          finding(
            site.file,
            site.line,
            'terraform/expression',
            `cannot parse expression: ${(e as Error).message.split('\n')[0]}`,
            'fix the expression syntax',
          ),
        ];
      }
      return refs.flatMap((ref) => {
        const p = resolve(ref, decl);
        return p ? [finding(site.file, textLine(site.lines, ref.source, site.line), p[0], p[1], p[2])] : [];
      });
    }),
  );
  return per.flat();
}
