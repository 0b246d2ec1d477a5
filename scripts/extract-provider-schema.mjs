#!/usr/bin/env node
/**
 * Extract a compact AWS provider schema from the `.jsii` manifest of the npm package
 * `@cdktn/provider-aws` into test/validate/data/aws-provider-schema.json (used by the Terraform
 * validator in test/validate/terraform/).
 *
 * Usage (the package is ~480 MB unpacked: keep it out of the repo):
 *   mkdir -p /tmp/schema-src && cd /tmp/schema-src
 *   npm pack @cdktn/provider-aws@25.7.0
 *   tar xzf cdktn-provider-aws-25.7.0.tgz package/.jsii package/package.json
 *   tar xzf cdktn-provider-aws-25.7.0.tgz package/lib   # optional (~240 MB): exact computed-attribute names, see below
 *   node scripts/extract-provider-schema.mjs /tmp/schema-src/package
 *
 * Other providers the generated Terraform uses work the same way, with the provider name as the second
 * argument (output: test/validate/data/<provider>-provider-schema.json), e.g. the archive provider that
 * zips the smoke-test Lambda:
 *   npm pack @cdktn/provider-archive@14.0.1 && tar xzf cdktn-provider-archive-14.0.1.tgz package/.jsii package/lib
 *   node scripts/extract-provider-schema.mjs /tmp/schema-src/package archive
 *
 * What comes from where:
 * - Terraform type name: the class summary `{@link https://registry.terraform.io/.../docs/resources/ecs_service aws_ecs_service}`
 *   (data sources link to docs/data-sources/…); resources extend cdktn.TerraformResource,
 *   data sources cdktn.TerraformDataSource.
 * - Arguments: the `<Class>Config` properties; snake_case name from each property's docs link
 *   (`#cluster EcsService#cluster`), required when the property is not optional.
 * - Nested blocks: struct-typed properties (jsii datatype interfaces), recursively; a direct struct
 *   is a single block, an array of structs a list block.
 * - Computed attributes: the class's own getters that are not config properties. jsii does not carry
 *   their snake_case names; when the compiled `lib/<module>/index.js` is present its
 *   `// arn_suffix - computed: …` comment before each getter gives the exact name, otherwise the
 *   camelCase name is converted (exact except around digits).
 *
 * Output format (minified; keys kept short because the file is committed):
 *   { provider, version, package, resource: {type: Block}, data: {type: Block} }
 *   Block = { a: {arg: 1 required | 0 optional}, c?: [computed-only attr], b?: {block: [list 1|0, required 1|0, Block]} }
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDER = process.argv[3] ?? 'aws';
const OUT = join(ROOT, `test/validate/data/${PROVIDER}-provider-schema.json`);
const LINK = new RegExp(
  `\\{@link https://registry\\.terraform\\.io/providers/hashicorp/${PROVIDER}/([0-9.]+)/docs/(resources|data-sources)/[\\w-]+ (${PROVIDER}_\\w+)\\}`,
);
const ANCHOR = /#\w+ \w+#(\w+)\}/;

const camelToSnake = (s) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
const docsText = (docs = {}) => `${docs.summary ?? ''} ${docs.remarks ?? ''}`;

/** The struct fqn and list-ness of a property type, or null when it is not a nested block. */
function structOf(type, types) {
  const isStruct = (fqn) => Boolean(fqn && types[fqn]?.datatype);
  if (isStruct(type.fqn)) return { fqn: type.fqn, list: false };
  const candidates = type.union ? type.union.types : [type];
  for (const t of candidates) {
    if (t.collection?.kind === 'array' && isStruct(t.collection.elementtype.fqn))
      return { fqn: t.collection.elementtype.fqn, list: true };
    if (isStruct(t.fqn)) return { fqn: t.fqn, list: false };
  }
  return null;
}

/** Convert one datatype interface (a Config or a nested block struct) into a Block. */
function blockOf(fqn, types, stack = []) {
  const block = { a: {} };
  if (stack.includes(fqn)) return block; // jsii structs are acyclic in practice; guard anyway
  for (const p of types[fqn].properties ?? []) {
    const m = ANCHOR.exec(docsText(p.docs));
    const name = m ? m[1] : camelToSnake(p.name);
    const required = p.optional ? 0 : 1;
    const nested = structOf(p.type, types);
    if (nested) {
      block.b ??= {};
      block.b[name] = [nested.list ? 1 : 0, required, blockOf(nested.fqn, types, [...stack, fqn])];
    } else {
      block.a[name] = required;
    }
  }
  return block;
}

/** Exact snake_case names of a class's getters, read from the compiled module when available. */
function getterNames(pkgDir, cls) {
  const file = join(pkgDir, cls.locationInModule.filename.replace(/^src\//, 'lib/').replace(/\.ts$/, '.js'));
  const names = new Map();
  if (!existsSync(file)) return names;
  const src = readFileSync(file, 'utf8');
  const start = src.indexOf(`class ${cls.name} extends cdktn.Terraform`);
  if (start < 0) return names;
  const end = src.indexOf('\nclass ', start + 1);
  const body = src.slice(start, end < 0 ? undefined : end);
  const re = /\/\/ (\w+) - computed: [^\n]*\n(?:[^\n]*\n){0,3}?\s*get (\w+)\(\)/g;
  for (const m of body.matchAll(re)) names.set(m[2], m[1]);
  return names;
}

/** Computed-only attributes: the class's own instance getters that are neither config nor `xInput`. */
function computedOf(cls, block, pkgDir, stats) {
  const exact = getterNames(pkgDir, cls);
  const ownNames = new Set(Object.keys(block.a).concat(Object.keys(block.b ?? {})));
  const out = new Set();
  for (const p of cls.properties ?? []) {
    if (p.static || p.name.endsWith('Input')) continue;
    const name = exact.get(p.name) ?? camelToSnake(p.name);
    if (!exact.has(p.name)) stats.guessed += 1; // write-only `*Wo` args: config names win anyway
    if (!ownNames.has(name)) out.add(name);
  }
  return [...out].sort();
}

function main() {
  const pkgDir = resolve(process.argv[2] ?? '/tmp/schema-src/package');
  const jsii = JSON.parse(readFileSync(join(pkgDir, '.jsii'), 'utf8'));
  const types = jsii.types;
  const schema = {
    provider: `hashicorp/${PROVIDER}`,
    version: '',
    package: `${jsii.name}@${jsii.version}`,
    resource: {},
    data: {},
  };
  const stats = { guessed: 0 };
  for (const cls of Object.values(types)) {
    if (cls.kind !== 'class' || !/^cdktn\.Terraform(Resource|DataSource)$/.test(cls.base ?? '')) continue;
    const m = LINK.exec(docsText(cls.docs));
    if (!m) throw new Error(`no registry link on ${cls.fqn}`);
    const [, version, kind, tfType] = m;
    if (schema.version && schema.version !== version)
      throw new Error(`mixed provider versions ${schema.version} / ${version}`);
    schema.version = version;
    const configFqn = cls.initializer.parameters.find((p) => p.name === 'config').type.fqn;
    const block = blockOf(configFqn, types);
    const computed = computedOf(cls, block, pkgDir, stats);
    if (computed.length) block.c = computed;
    schema[kind === 'resources' ? 'resource' : 'data'][tfType] = block;
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(schema)}\n`);
  const size = readFileSync(OUT).length;
  console.log(
    `${PROVIDER} provider ${schema.version}: ${Object.keys(schema.resource).length} resources, ${Object.keys(schema.data).length} data sources, ` +
      `${stats.guessed} getter names guessed, ${(size / 1e6).toFixed(2)} MB → ${OUT}`,
  );
}

main();
