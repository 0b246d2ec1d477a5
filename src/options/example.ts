/**
 * Built-in example values (`--example`): documentation-range account values that let the whole
 * stack render and validate without an AWS account. Never deployable as-is.
 */
import type { RawValues } from './resolve.js';

export const EXAMPLE_FLAGS: RawValues = {
  serviceName: 'api',
  githubRepo: 'acme/api',
  vpcId: 'vpc-0123456789abcdef0',
  publicSubnetIds: 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
  privateSubnetIds: 'subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
};
