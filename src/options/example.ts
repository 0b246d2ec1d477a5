/**
 * Built-in example values (`--example`): documentation-style account values that let the whole
 * stack render and validate without an AWS account. Not deployable as-is.
 */
import type { RawValues } from './resolve.js';
import { AWS_REGIONS, OPTION_TABLE, type OptionKey } from './table.js';

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

/** What decides which example values apply: the detected defaults and the saved answers. */
export interface ExampleBasis {
  /** package.json name, origin remote: detected values an example never replaces. */
  readonly packageName?: string;
  readonly githubRepo?: string;
  readonly saved?: { readonly answers: Readonly<Record<string, unknown>>; readonly exampleValues?: readonly string[] };
}

/**
 * The example values a run with --example uses: only for options nothing else fills. A detected package
 * name keeps the service name, an origin remote keeps the repository (and its ids, which gh looks up),
 * and a saved answer is never replaced by an example.
 */
export function exampleDefaults(basis: ExampleBasis, region: string | undefined): RawValues {
  const detected = [
    ...(basis.packageName ? ['serviceName'] : []),
    ...(basis.githubRepo ? ['githubRepo', 'githubOwnerId', 'githubRepoId'] : []),
  ];
  return Object.fromEntries(
    Object.entries(exampleFlags(region)).filter(
      ([k]) => !detected.includes(k) && basis.saved?.answers[k] === undefined,
    ),
  );
}

/**
 * Options that hold an example value after this run: `used` (the example values no flag replaced), and
 * those marked before whose value is still the saved one (replacing a value, by flag or answer, clears its mark).
 */
export function exampleMarks(
  basis: ExampleBasis,
  used: readonly string[],
  options: Readonly<Record<string, unknown>>,
): string[] {
  const before = basis.saved?.exampleValues ?? [];
  const kept = (k: string): boolean => JSON.stringify(options[k]) === JSON.stringify(basis.saved?.answers[k]);
  return Object.keys(options).filter(
    (k) => options[k] !== undefined && (used.includes(k) || (before.includes(k) && kept(k))),
  );
}

/** The warning while example values remain, naming the flags that replace them. */
export function exampleWarning(marks: readonly string[]): string | undefined {
  if (marks.length === 0) return undefined;
  const flags = marks.map((k) => `--${OPTION_TABLE[k as OptionKey].flag}`).join(', ');
  return `${marks.join(', ')} still hold the built-in --example values, which deploy nowhere: replace them (${flags}) before the first deployment.`;
}
