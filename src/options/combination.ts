/**
 * validateCombination: every rule that reads more than one option, in one place and in one fixed order.
 * An option's own validator (table.ts) judges its value alone; these rules judge values together, once
 * every value they read is known and valid, so the outcome never depends on the order of the table.
 */
import { canaryVerdict, type CanarySettings } from '../model/timeline.js';
import { fargateMemoryFor } from './fargate.js';
import { CERT_ARN, intRange } from './rules.js';
import type { OptionKey } from './table.js';

/** Values by option (parsed; null = deliberately off, undefined = not known). */
export type Values = Partial<Record<OptionKey, unknown>>;

/** One refusal or warning of a rule. */
export interface Finding {
  /** The option whose source heads the message; 'combination': the message names its flags itself. */
  readonly key: OptionKey | 'combination';
  /** The options the rule read. */
  readonly reads: readonly OptionKey[];
  /** The questions at which an interactive run shows it (a later question could not fix it). */
  readonly askedAt: readonly OptionKey[];
  readonly message: string;
}

export interface Combination {
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

interface Rule {
  readonly reads: readonly OptionKey[];
  readonly key: OptionKey | 'combination';
  readonly askedAt: readonly OptionKey[];
  readonly check: (v: Values) => { readonly errors: readonly string[]; readonly warnings?: readonly string[] };
}

/** The options the canary rule reads (the detection model's inputs). */
export const COMBINATION_KEYS: readonly OptionKey[] = [
  'deploymentEngine',
  'expectedRpm',
  'canaryPercent',
  'canaryMinutes',
  'rollbackWindowMinutes',
];

/** The canary rule's input from resolved values. */
export function canarySettings(v: Values): CanarySettings {
  const codedeploy = v.deploymentEngine === 'codedeploy';
  return {
    canaryPercent: v.canaryPercent as number,
    canaryMinutes: v.canaryMinutes as number,
    rollbackWindowMinutes: v.rollbackWindowMinutes as number,
    expectedRpm: v.expectedRpm as number,
    percentStep: codedeploy ? 1 : 0.1,
    percentMax: codedeploy ? 99 : 100,
  };
}

const one = (message: string | undefined): { errors: string[] } => ({ errors: message === undefined ? [] : [message] });

/** In order: a rule is skipped once an earlier one refused a value it reads (the canary rule needs a valid percent). */
const RULES: readonly Rule[] = [
  {
    reads: ['certificateArn', 'region'],
    key: 'certificateArn',
    askedAt: ['certificateArn'],
    check: (v) => {
      const certRegion = CERT_ARN.exec(v.certificateArn as string)?.[1];
      return one(
        certRegion !== v.region
          ? `certificate is in ${certRegion} but --region is ${v.region as string}; an ALB needs a certificate from its own region`
          : undefined,
      );
    },
  },
  {
    reads: ['publicSubnetIds', 'privateSubnetIds'],
    key: 'privateSubnetIds',
    askedAt: ['publicSubnetIds', 'privateSubnetIds'],
    check: (v) => {
      const both = (v.privateSubnetIds as string[]).filter((s) => (v.publicSubnetIds as string[]).includes(s));
      return one(both.length ? `subnet in both the public and the private list: ${both.join(', ')}` : undefined);
    },
  },
  {
    reads: ['deploymentEngine', 'canaryPercent'],
    key: 'canaryPercent',
    askedAt: ['canaryPercent'],
    check: (v) =>
      one(
        v.deploymentEngine === 'codedeploy'
          ? intRange(v.canaryPercent as number, 1, 99)?.concat(' for codedeploy')
          : undefined,
      ),
  },
  {
    // A cpu value Fargate does not know is reported on --cpu alone.
    reads: ['cpu', 'memory'],
    key: 'memory',
    askedAt: ['memory'],
    check: (v) => {
      const cpu = v.cpu as number;
      const memory = v.memory as number;
      const allowed = fargateMemoryFor(cpu);
      if (allowed.length === 0 || allowed.includes(memory)) return one(undefined);
      return one(
        `${memory} MiB is not valid with --cpu ${cpu} (allowed: ${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${allowed[1]! - allowed[0]!})`,
      );
    },
  },
  {
    reads: COMBINATION_KEYS,
    key: 'combination',
    askedAt: COMBINATION_KEYS,
    check: (v) => canaryVerdict(canarySettings(v)),
  },
  {
    // Not at the prompt: the channel is asked right after the team.
    reads: ['alertsSlackTeamId', 'alertsSlackChannelId'],
    key: 'combination',
    askedAt: [],
    check: (v) =>
      one(
        [v.alertsSlackTeamId, v.alertsSlackChannelId].filter((x) => typeof x === 'string').length === 1
          ? '--alerts-slack-team-id and --alerts-slack-channel-id go together: give both (or neither)'
          : undefined,
      ),
  },
];

/**
 * Judge the values together. `failed` are options whose own value was refused; a rule runs only when
 * every option it reads has a value that neither failed nor broke an earlier rule.
 */
export function validateCombination(values: Values, failed: ReadonlySet<string> = new Set()): Combination {
  const refused = new Set<string>(failed);
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  for (const rule of RULES) {
    if (rule.reads.some((k) => values[k] === undefined || refused.has(k))) continue;
    const verdict = rule.check(values);
    const finding = (message: string): Finding => ({
      key: rule.key,
      reads: rule.reads,
      askedAt: rule.askedAt,
      message,
    });
    errors.push(...verdict.errors.map(finding));
    warnings.push(...(verdict.warnings ?? []).map(finding));
    if (verdict.errors.length) for (const k of rule.reads) refused.add(k);
  }
  return { errors, warnings };
}
