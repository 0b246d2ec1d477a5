/**
 * The committed AWS provider schema extract (scripts/extract-provider-schema.mjs), loaded once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A block's schema: arguments (1 = required), computed-only attributes, nested blocks [list, required, schema]. */
export interface BlockSchema {
  readonly a: Readonly<Record<string, 0 | 1>>;
  readonly c?: readonly string[];
  readonly b?: Readonly<Record<string, readonly [0 | 1, 0 | 1, BlockSchema]>>;
}

/** The whole extract. */
export interface ProviderSchema {
  readonly provider: string;
  readonly version: string;
  readonly package: string;
  readonly resource: Readonly<Record<string, BlockSchema>>;
  readonly data: Readonly<Record<string, BlockSchema>>;
}

const SCHEMA_PATH = fileURLToPath(new URL('../data/aws-provider-schema.json', import.meta.url));
/** Other providers the generated Terraform may use (same extract script, provider name as 2nd argument). */
const OTHER_SCHEMA_PATHS = ['archive'].map((p) =>
  fileURLToPath(new URL(`../data/${p}-provider-schema.json`, import.meta.url)),
);
let cached: ProviderSchema | undefined;
let others: ProviderSchema[] | undefined;

/** The AWS provider schema (parsed on first use, ≈1 MB). */
export function providerSchema(): ProviderSchema {
  cached ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as ProviderSchema;
  return cached;
}

function otherSchemas(): ProviderSchema[] {
  others ??= OTHER_SCHEMA_PATHS.map((path) => JSON.parse(readFileSync(path, 'utf8')) as ProviderSchema);
  return others;
}

/** Schema of a data source type: the AWS provider's, or another extracted provider's (archive_file). */
export function dataSchema(type: string): BlockSchema | undefined {
  return providerSchema().data[type] ?? otherSchemas().find((s) => s.data[type])?.data[type];
}

/** Resource types built into Terraform itself (not in any provider schema). */
const BUILTIN_RESOURCES: Readonly<Record<string, BlockSchema>> = {
  terraform_data: { a: { input: 0, triggers_replace: 0 }, c: ['id', 'output'] },
};

/** Schema of a resource type: the AWS provider's, another extracted provider's, or Terraform's built-in `terraform_data`. */
export function resourceSchema(type: string): BlockSchema | undefined {
  return (
    providerSchema().resource[type] ??
    otherSchemas().find((s) => s.resource[type])?.resource[type] ??
    BUILTIN_RESOURCES[type]
  );
}

/** Whether `name` can follow `<type>.<name>.` in a reference: argument, nested block or computed attribute. */
export function hasAttribute(schema: BlockSchema, name: string): boolean {
  return name in schema.a || (schema.b !== undefined && name in schema.b) || (schema.c?.includes(name) ?? false);
}
