/**
 * Built-in example values (`--example`): documentation-style account values that let the whole
 * stack render and validate without an AWS account. Not deployable as-is.
 */
import type { RawValues } from './resolve.js';
import { AWS_REGIONS } from './table.js';

/**
 * Example account values; the certificate follows the chosen region so the pair stays valid. An
 * invalid region is reported on --region alone, so the example certificate keeps the default one.
 */
export function exampleFlags(chosen?: string): RawValues {
  const region = chosen !== undefined && AWS_REGIONS.includes(chosen.trim()) ? chosen.trim() : 'eu-west-1';
  return {
    serviceName: 'api',
    githubRepo: 'acme/api',
    // The ids GitHub's own documentation uses in its immutable-subject examples.
    githubOwnerId: '123456',
    githubRepoId: '456789',
    vpcId: 'vpc-0123456789abcdef0',
    publicSubnetIds: 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
    privateSubnetIds: 'subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
    certificateArn: `arn:aws:acm:${region}:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666`,
  };
}

/** The example values for the default region. */
export const EXAMPLE_FLAGS: RawValues = exampleFlags();
