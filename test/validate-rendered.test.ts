/**
 * Trees rendered by the real templates (test/support/render-tree.ts) pass every validator, and the
 * rendered versions.tf admits the provider version the schema extract describes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTree } from './support/render-tree.js';
import type { RawValues } from '../src/options/resolve.js';
import { formatFindings, validateTree } from './validate/index.js';
import { awsConstraintOf } from './validate/provider-constraint.js';
import { providerSchema } from './validate/terraform/schema.js';
import { admits } from './validate/version-constraint.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function rendered(flags: RawValues): string {
  const dir = mkdtempSync(join(tmpdir(), 'validate-rendered-'));
  dirs.push(dir);
  renderTree(dir, flags);
  return dir;
}

describe.each([
  ['default options', {}],
  ['JavaScript app with the CodeDeploy engine', { language: 'js', deploymentEngine: 'codedeploy' }],
] as const)('rendered tree: %s', (_label, flags) => {
  let dir = '';

  it('passes every validator with zero findings', async () => {
    dir = rendered(flags);
    expect(formatFindings(await validateTree(dir))).toBe('');
  });

  it('constrains the AWS provider to a range that admits the schema version', async () => {
    const constraint = await awsConstraintOf(join(dir, 'terraform/versions.tf'));
    expect(admits(constraint, providerSchema().version), constraint).toBe(true);
  });
});
