/**
 * The committed provider schema must describe a provider version the generated constraint admits;
 * otherwise the Terraform validator checks against a schema users cannot install.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { awsConstraintOf } from './validate/provider-constraint.js';
import { providerSchema } from './validate/terraform/schema.js';
import { admits } from './validate/version-constraint.js';

const VERSIONS_TF = fileURLToPath(new URL('../resources/terraform/versions.tf', import.meta.url));

describe('version constraints', () => {
  it.each([
    ['>= 6.21.0, < 7.0.0', '6.66.0', true],
    ['>= 6.21.0, < 7.0.0', '6.21.0', true],
    ['>= 6.21.0, < 7.0.0', '6.20.9', false],
    ['>= 6.21.0, < 7.0.0', '7.0.0', false],
    ['~> 6.2', '6.66.0', true],
    ['~> 6.2', '7.0.0', false],
    ['~> 6.2.1', '6.2.9', true],
    ['~> 6.2.1', '6.3.0', false],
    ['6.66.0', '6.66.0', true],
    ['= 6.66.0', '6.66.1', false],
    ['> 6.66.0', '6.66.0', false],
    ['<= 6.66.0', '6.66.0', true],
    ['>= 6.0, != 6.66.0', '6.66.0', false],
  ] as const)('%s admits %s: %s', (constraint, version, expected) => {
    expect(admits(constraint, version)).toBe(expected);
  });

  it('rejects text that is not a constraint', () => {
    expect(() => admits('>= six', '6.0.0')).toThrow(/not a version/);
  });
});

describe('provider schema extract', () => {
  it('records the AWS provider 6.x version it was extracted from', () => {
    expect(providerSchema().version).toMatch(/^6\.\d+\.\d+$/);
    expect(providerSchema().resource.aws_ecs_service?.b?.deployment_configuration).toBeDefined();
  });

  it('is admitted by the provider constraint in resources/terraform/versions.tf', async () => {
    const constraint = await awsConstraintOf(VERSIONS_TF);
    expect(admits(constraint, providerSchema().version), `${constraint} vs ${providerSchema().version}`).toBe(true);
  });
});
