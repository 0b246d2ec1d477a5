/**
 * Read the AWS provider version constraint out of a versions.tf (the `required_providers.aws.version`).
 */
import { readFileSync } from 'node:fs';
import { parseHcl } from './terraform/hcl.js';

type Obj = Record<string, unknown>;
const first = (v: unknown): Obj | undefined => (Array.isArray(v) ? (v[0] as Obj | undefined) : (v as Obj | undefined));

/** The `version` string of `required_providers { aws = { … } }` in the HCL file at `path`. */
export async function awsConstraintOf(path: string): Promise<string> {
  const json = await parseHcl(path, readFileSync(path, 'utf8'));
  const providers = first(first(json.terraform)?.required_providers);
  const aws = providers?.aws as Obj | undefined;
  if (typeof aws?.version !== 'string') throw new Error(`${path}: no required_providers.aws.version`);
  return aws.version;
}
