/**
 * The AWS look-ups (src/detect/aws.ts) as choices of the VPC, subnet and certificate questions, as
 * Copilot's `env init` offers them. Only when the aws CLI has credentials; one look-up per region,
 * started at the first of these questions and bounded by its time limit; anything short of a useful
 * list leaves the question as text.
 */
import {
  AWS_LOOKUP_TIMEOUT_MS,
  AwsLookups,
  hasAwsCredentials,
  type AwsAccountFacts,
  type AwsSubnet,
} from '../detect/aws.js';
import type { OptionKey } from '../options/table.js';
import type { PairName } from './paired.js';
import type { Choice, Offer, OfferSource } from './questions.js';

const label = (...parts: ReadonlyArray<string | undefined | false>): string => parts.filter(Boolean).join('  ');

function vpcOffer(facts: AwsAccountFacts): Offer {
  if (!facts.vpcs.ok) return { reason: `the VPCs of ${facts.region} could not be looked up (${facts.vpcs.reason})` };
  if (facts.vpcs.items.length === 0) return { reason: `the AWS account has no VPC in ${facts.region}` };
  const choices: Choice[] = facts.vpcs.items.map((v) => ({
    name: label(v.id, v.name, v.cidr, v.isDefault && '(default VPC)'),
    value: v.id,
  }));
  return { multiple: false, choices };
}

const how = (s: AwsSubnet): string =>
  s.public ? `public (route to ${s.internetGateway})` : 'private (no route to an internet gateway)';
const kindOf = (s: AwsSubnet): 'public' | 'private' => (s.public ? 'public' : 'private');

/**
 * The VPC's subnets of one kind (`only`), or of both for the paired subnets question: then each
 * choice's value carries its route-table label ("public:subnet-…"), which the pair's parser splits by.
 */
function subnetOffer(facts: AwsAccountFacts, vpcId: unknown, only?: 'public' | 'private'): Offer {
  if (!facts.subnets.ok)
    return { reason: `the subnets of ${facts.region} could not be looked up (${facts.subnets.reason})` };
  const inVpc = facts.subnets.items.filter((s: AwsSubnet) => s.vpcId === vpcId && (!only || kindOf(s) === only));
  for (const kind of only ? [only] : (['public', 'private'] as const)) {
    const n = inVpc.filter((s) => kindOf(s) === kind).length;
    if (n < 2)
      return {
        reason: `${vpcId} has ${n} ${kind} subnet(s) by its route tables; the stack needs 2 in different Availability Zones`,
      };
  }
  const choices: Choice[] = inVpc.map((s) => ({
    name: label(only ? undefined : kindOf(s).padEnd(7), s.id, s.name, s.az, s.cidr),
    value: only ? s.id : `${kindOf(s)}:${s.id}`,
    description: how(s),
    checked: true,
  }));
  return { multiple: true, choices };
}

function certificateOffer(facts: AwsAccountFacts): Offer {
  if (!facts.certificates.ok)
    return { reason: `the certificates of ${facts.region} could not be looked up (${facts.certificates.reason})` };
  if (facts.certificates.items.length === 0) return { reason: `ACM has no issued certificate in ${facts.region}` };
  const choices: Choice[] = facts.certificates.items.map((c) => ({
    name: label(c.domain, c.notAfter && `valid until ${c.notAfter}`, c.inUse && '(in use)'),
    value: c.arn,
    description: c.arn,
  }));
  return { multiple: false, choices };
}

/**
 * Choices from the user's AWS account, or undefined when the aws CLI has no credentials to use. `say`
 * tells the user when a look-up starts (the question waits for it, at most `timeoutMs`).
 */
export function awsOffers(
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  timeoutMs = AWS_LOOKUP_TIMEOUT_MS,
): OfferSource | undefined {
  if (!hasAwsCredentials(env)) return undefined;
  const lookups = new AwsLookups(env, timeoutMs);
  const started = new Set<string>();
  const offers: Partial<
    Record<OptionKey | PairName, (facts: AwsAccountFacts, values: Readonly<Record<string, unknown>>) => Offer>
  > = {
    vpcId: (facts) => vpcOffer(facts),
    subnets: (facts, values) => subnetOffer(facts, values.vpcId),
    publicSubnetIds: (facts, values) => subnetOffer(facts, values.vpcId, 'public'),
    privateSubnetIds: (facts, values) => subnetOffer(facts, values.vpcId, 'private'),
    certificateArn: (facts) => certificateOffer(facts),
  };
  return (key, values) => {
    const offer = offers[key];
    if (!offer || typeof values.region !== 'string') return undefined;
    if (!started.has(values.region)) {
      started.add(values.region);
      say(
        `Looking up VPCs, subnets and certificates of ${values.region} in your AWS account (read-only, at most ${Math.round(timeoutMs / 1000)} s)…`,
      );
    }
    return lookups.region(values.region).then((facts) => offer(facts, values));
  };
}
