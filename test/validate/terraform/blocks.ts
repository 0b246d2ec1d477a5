/**
 * Hold each resource/data body (as hcl2json gives it) against the provider schema: unknown
 * arguments and blocks, read-only attributes set, missing required arguments and blocks,
 * recursively through nested and dynamic blocks.
 */
import { finding, type Finding } from '../finding.js';
import { argLine } from './locate.js';
import { closest } from '../closest.js';
import type { BlockSchema } from './schema.js';

/** Meta-arguments Terraform accepts on every resource / data block. */
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'connection', 'provisioner']);

/** Where a body sits: file, its lines, the block header line and a readable address. */
export interface BodyContext {
  readonly file: string;
  readonly lines: readonly string[];
  readonly line: number | undefined;
  readonly address: string;
}

type Body = Record<string, unknown>;

const isBody = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nested block instances: `x { }` gives [{…}], `x = { … }` (attribute syntax) gives {…}. */
function instances(v: unknown): Body[] {
  if (Array.isArray(v)) return v.filter(isBody);
  return isBody(v) ? [v] : [];
}

/** Dynamic blocks in a body: [block name, content bodies]. */
function dynamicBlocks(body: Body): [string, Body[]][] {
  const dyn = body.dynamic;
  if (!isBody(dyn)) return [];
  return Object.entries(dyn).map(([name, v]) => [name, instances(v).flatMap((d) => instances(d.content))]);
}

function checkKey(
  key: string,
  value: unknown,
  schema: BlockSchema,
  ctx: BodyContext,
  top: boolean,
  out: Finding[],
): void {
  if ((top && META.has(key)) || key === 'dynamic' || key in schema.a) return;
  const line = argLine(ctx.lines, ctx.line, key);
  const nested = schema.b?.[key];
  if (nested) {
    const child = { ...ctx, line, address: `${ctx.address}.${key}` };
    for (const inst of instances(value)) out.push(...checkBody(inst, nested[2], child, false));
    return;
  }
  if (schema.c?.includes(key)) {
    out.push(
      finding(
        ctx.file,
        line,
        'terraform/read-only-attribute',
        `${ctx.address}: "${key}" is computed by the provider and cannot be set`,
        `remove "${key}"; read it as a reference instead`,
      ),
    );
    return;
  }
  const near = closest(key, [...Object.keys(schema.a), ...Object.keys(schema.b ?? {})]);
  out.push(
    finding(
      ctx.file,
      line,
      'terraform/unknown-argument',
      `${ctx.address}: unknown argument or block "${key}"`,
      near ? `did you mean "${near}"?` : `remove it; see the AWS provider docs for ${ctx.address.split('.')[0]}`,
    ),
  );
}

/** Findings for one body against `schema`; `top` allows meta-arguments. */
export function checkBody(body: Body, schema: BlockSchema, ctx: BodyContext, top = true): Finding[] {
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(body)) checkKey(key, value, schema, ctx, top, out);
  const dynamic = dynamicBlocks(body);
  for (const [name, contents] of dynamic) {
    const nested = schema.b?.[name];
    const line = argLine(ctx.lines, ctx.line, name);
    if (!nested) {
      const near = closest(name, Object.keys(schema.b ?? {}));
      out.push(
        finding(
          ctx.file,
          line,
          'terraform/unknown-argument',
          `${ctx.address}: dynamic "${name}" names no nested block of this type`,
          near ? `did you mean "${near}"?` : 'a dynamic block must generate one of the nested blocks of this type',
        ),
      );
      continue;
    }
    for (const c of contents)
      out.push(...checkBody(c, nested[2], { ...ctx, line, address: `${ctx.address}.${name}` }, false));
  }
  for (const [arg, required] of Object.entries(schema.a)) {
    if (required && !(arg in body)) {
      out.push(
        finding(
          ctx.file,
          ctx.line,
          'terraform/missing-argument',
          `${ctx.address}: required argument "${arg}" is missing`,
          `set ${arg} = …`,
        ),
      );
    }
  }
  const dynNames = new Set(dynamic.map(([n]) => n));
  for (const [name, [, required]] of Object.entries(schema.b ?? {})) {
    if (required && !(name in body) && !dynNames.has(name)) {
      out.push(
        finding(
          ctx.file,
          ctx.line,
          'terraform/missing-block',
          `${ctx.address}: required block "${name}" is missing`,
          `add a ${name} { … } block`,
        ),
      );
    }
  }
  return out;
}
