/**
 * The option table: every option of the generator, declared once. Flags, prompts, saved answers,
 * --help, README and the `Options` type are all derived from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { option, type DefaultFacts, type OptionSpec } from './spec.js';
import { FARGATE_CPUS, fargateMemoryFor } from './fargate.js';
import { RESOURCES_DIR } from '../paths.js';
import { detectedGithubId, validateGithubId } from './github-ids.js';
import { MAX_WAIT_WINDOWS_MINUTES, MIN_CANARY_MINUTES } from '../context/timeline.js';

/** The one list of AWS commercial regions (also rendered into variables.tf). */
export const AWS_REGIONS: readonly string[] = (
  JSON.parse(readFileSync(join(RESOURCES_DIR, 'aws-regions.json'), 'utf8')) as { regions: string[] }
).regions;

/** Node LTS lines that are not end-of-life (nodejs/Release schedule, checked 2026-11). */
export const NODE_LTS_LINES = ['22', '24', '26'] as const;

const SERVICE_NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const CERT_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SLACK_TEAM = /^T[A-Z0-9]{8,12}$/;
const SLACK_CHANNEL = /^[CG][A-Z0-9]{8,12}$/;

/** Turn any package or folder name into a valid service name, or undefined when impossible. */
export function normaliseServiceName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const base = raw.replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const trimmed = base.replace(/^[^a-z]+/, '').replace(/-+/g, '-').slice(0, 32).replace(/[^a-z0-9]+$/, '');
  return SERVICE_NAME.test(trimmed) ? trimmed : undefined;
}

function subnetList(value: string[], others: Record<string, unknown>, other: 'publicSubnetIds' | 'privateSubnetIds'): string | undefined {
  const badIds = value.filter((s) => !SUBNET_ID.test(s));
  if (badIds.length) return `not a subnet id: ${badIds.join(', ')} (expected subnet-<8 or 17 hex digits>)`;
  if (value.length < 2) return `needs at least 2 subnets in different Availability Zones, got ${value.length}`;
  const dupes = value.filter((s, i) => value.indexOf(s) !== i);
  if (dupes.length) return `duplicate subnet id: ${[...new Set(dupes)].join(', ')}`;
  const otherList = others[other];
  if (Array.isArray(otherList)) {
    const both = value.filter((s) => otherList.includes(s));
    if (both.length) return `subnet in both the public and the private list: ${both.join(', ')}`;
  }
  return undefined;
}

// ECS allows 1440-minute bakes and CodeDeploy 2880-minute canaries, but the deploy job waits for both windows.
const WAIT_REASON = 'the deploy job waits for both, and GitHub Actions ends a job after 360 min';

function intRange(value: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(value)) return `must be a whole number between ${min} and ${max}, got ${value}`;
  return value < min || value > max ? `must be between ${min} and ${max}, got ${value}` : undefined;
}

/** Every option, in prompt order. */
export const OPTION_TABLE = {
  serviceName: option<string>({
    flag: 'service-name', kind: 'string', valueName: '<name>', saved: true,
    message: 'Service name (ECS service, ECR repository, resource prefix)',
    help: 'Service name: 3-32 chars, lowercase letters, digits and dashes, starts with a letter. Default: package.json name, else folder name',
    defaultValue: (f: DefaultFacts) => normaliseServiceName(f.packageName) ?? normaliseServiceName(f.folderName) ?? 'app',
    validate: (v) => {
      if (!SERVICE_NAME.test(v)) return `"${v}" must match ${SERVICE_NAME.source} (3-32 chars, lowercase, starts with a letter)`;
      // Security group names are prefixed with the service name, and AWS rejects names starting with sg-.
      return v.startsWith('sg-') ? `"${v}" may not start with "sg-" (AWS reserves it for security group ids)` : undefined;
    },
  }),
  region: option<string>({
    flag: 'region', kind: 'string', choices: AWS_REGIONS, valueName: '<region>', saved: true,
    message: 'AWS region',
    help: 'AWS commercial region code, e.g. eu-west-1. Default: eu-west-1',
    defaultValue: () => 'eu-west-1',
    validate: (v) => (AWS_REGIONS.includes(v) ? undefined : `"${v}" is not an AWS commercial region (e.g. eu-west-1, us-east-1)`),
  }),
  vpcId: option<string>({
    flag: 'vpc-id', kind: 'string', valueName: '<vpc-id>', saved: true, accountSpecific: true,
    message: 'VPC id',
    help: 'VPC id, e.g. vpc-0123456789abcdef0. No default (account-specific)',
    defaultValue: () => undefined,
    validate: (v) => (VPC_ID.test(v) ? undefined : `"${v}" is not a VPC id (expected vpc-<8 or 17 hex digits>)`),
  }),
  publicSubnetIds: option<string[]>({
    flag: 'public-subnets', kind: 'list', valueName: '<ids>', saved: true, accountSpecific: true,
    message: 'Public subnet ids for the load balancer (comma-separated, at least 2)',
    help: 'Comma-separated public subnet ids (>= 2) for the ALB. No default',
    defaultValue: () => undefined,
    validate: (v, o) => subnetList(v, o, 'privateSubnetIds'),
  }),
  privateSubnetIds: option<string[]>({
    flag: 'private-subnets', kind: 'list', valueName: '<ids>', saved: true, accountSpecific: true,
    message: 'Private subnet ids for the tasks (comma-separated, at least 2)',
    help: 'Comma-separated private subnet ids (>= 2) for the tasks; none may also be public. No default',
    defaultValue: () => undefined,
    validate: (v, o) => subnetList(v, o, 'publicSubnetIds'),
  }),
  certificateArn: option<string>({
    flag: 'certificate-arn', kind: 'string', valueName: '<arn>', saved: true, accountSpecific: true,
    message: 'ACM certificate ARN for HTTPS (same region)',
    help: 'ACM certificate ARN in the chosen region. No default',
    defaultValue: () => undefined,
    validate: (v, o) => {
      const m = CERT_ARN.exec(v);
      if (!m) return `"${v}" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)`;
      const region = typeof o.region === 'string' ? o.region : undefined;
      return region && m[1] !== region ? `certificate is in ${m[1]} but --region is ${region}; an ALB needs a certificate from its own region` : undefined;
    },
  }),
  githubRepo: option<string>({
    flag: 'github-repo', kind: 'string', valueName: '<owner/repo>', saved: true, accountSpecific: true,
    message: 'GitHub repository (owner/repo) allowed to deploy',
    help: 'GitHub repository owner/repo trusted by the OIDC roles. Default: from the origin remote',
    defaultValue: (f) => f.githubRepo,
    validate: (v) => (GITHUB_REPO.test(v) ? undefined : `"${v}" is not owner/repo`),
  }),
  githubOwnerId: option<string>({
    flag: 'github-owner-id', kind: 'string', valueName: '<id>', saved: true, accountSpecific: true, optional: true,
    message: "GitHub owner's numeric id (gh api repos/OWNER/REPO --jq .owner.id; empty if the repository does not exist yet)",
    help: "Numeric id of the repository's owner, for the immutable OIDC subject of repositories created after 2026-07-15. Default: from gh api when gh is logged in",
    defaultValue: (f, partial) => detectedGithubId('ownerId', f, partial),
    validate: validateGithubId,
  }),
  githubRepoId: option<string>({
    flag: 'github-repo-id', kind: 'string', valueName: '<id>', saved: true, accountSpecific: true, optional: true,
    message: "GitHub repository's numeric id (gh api repos/OWNER/REPO --jq .id; empty if it does not exist yet)",
    help: 'Numeric id of the repository, for the immutable OIDC subject and the repository_id trust condition. Default: from gh api when gh is logged in',
    defaultValue: (f, partial) => detectedGithubId('repoId', f, partial),
    validate: validateGithubId,
  }),
  deploymentEngine: option<'ecs' | 'codedeploy'>({
    flag: 'deployment-engine', kind: 'enum', choices: ['ecs', 'codedeploy'], valueName: '<engine>', saved: true,
    message: 'Canary engine',
    help: 'ecs (ECS built-in canary, AWS-recommended) or codedeploy (CodeDeploy blue/green). Default: ecs',
    defaultValue: () => 'ecs',
    validate: () => undefined,
  }),
  expectedRpm: option<number>({
    flag: 'expected-rpm', kind: 'integer', valueName: '<n>', saved: true,
    message: 'Requests per minute the service gets in production (sizes the canary alarms)',
    help: 'Production requests per minute the canary alarms are designed for (their detection power is in docs/DEPLOYMENT.md), 1-1000000. Default: 200',
    defaultValue: () => 200,
    validate: (v) => intRange(v, 1, 1_000_000),
  }),
  canaryPercent: option<number>({
    flag: 'canary-percent', kind: 'number', valueName: '<pct>', saved: true,
    message: 'Percent of traffic the canary gets',
    help: 'Canary traffic share: ecs 0.1-100 in 0.1 steps; codedeploy whole 1-99. Default: 10',
    defaultValue: () => 10,
    validate: (v, o) => {
      if (o.deploymentEngine === 'codedeploy') return intRange(v, 1, 99)?.concat(' for codedeploy');
      const tenths = Math.round(v * 10);
      if (v < 0.1 || v > 100) return `must be between 0.1 and 100, got ${v}`;
      return Math.abs(tenths - v * 10) > 1e-9 ? `must be a multiple of 0.1, got ${v}` : undefined;
    },
  }),
  canaryMinutes: option<number>({
    flag: 'canary-minutes', kind: 'integer', valueName: '<min>', saved: true,
    message: 'Minutes the canary bakes before the full shift',
    help: `Canary window in minutes, ${MIN_CANARY_MINUTES}-${MAX_WAIT_WINDOWS_MINUTES} (a shorter one leaves no alarm time to roll back before the full shift); with the rollback window at most ${MAX_WAIT_WINDOWS_MINUTES} together (${WAIT_REASON}). Default: 10`,
    defaultValue: () => 10,
    validate: (v) => intRange(v, MIN_CANARY_MINUTES, MAX_WAIT_WINDOWS_MINUTES),
  }),
  rollbackWindowMinutes: option<number>({
    flag: 'rollback-window-minutes', kind: 'integer', valueName: '<min>', saved: true,
    message: 'Minutes the old version is kept after 100% (rollback window)',
    help: `Minutes the previous version stays up after the full shift (ECS bake time / CodeDeploy termination wait), 0-${MAX_WAIT_WINDOWS_MINUTES - MIN_CANARY_MINUTES}; with the canary window at most ${MAX_WAIT_WINDOWS_MINUTES} together. Default: 10`,
    defaultValue: () => 10,
    validate: (v) => intRange(v, 0, MAX_WAIT_WINDOWS_MINUTES - MIN_CANARY_MINUTES),
  }),
  slackWebhookSecret: option<string | null>({
    flag: 'slack-webhook-secret', negatedFlag: 'no-slack', negatedValue: null, kind: 'string', valueName: '<NAME>', saved: true,
    message: 'GitHub secret holding the Slack webhook URL ("none" for no Slack)',
    help: 'Name of the GitHub secret with the Slack incoming-webhook URL; --no-slack turns Slack off. Default: SLACK_WEBHOOK',
    defaultValue: () => 'SLACK_WEBHOOK',
    validate: (v) => {
      if (v === null) return undefined;
      if (!SECRET_NAME.test(v)) return `"${v}" is not a GitHub secret name (A-Z, 0-9, _; not starting with a digit)`;
      return v.startsWith('GITHUB_') ? `"${v}": secret names may not start with GITHUB_` : undefined;
    },
  }),
  alertsSlackTeamId: option<string | null>({
    flag: 'alerts-slack-team-id', negatedFlag: 'no-alerts-slack-team-id', negatedValue: null, kind: 'string', valueName: '<T…>', saved: true,
    message: 'Slack workspace (team) ID for alarm alerts via Amazon Q Developer in chat applications ("none" for no alerts channel)',
    help: 'Slack team ID (T…) that receives alarm and deployment alerts through Amazon Q Developer in chat applications; with --alerts-slack-channel-id. Default: none (a first-deployment step says how)',
    defaultValue: () => null,
    validate: (v) => (v === null || SLACK_TEAM.test(v) ? undefined : `"${v}" is not a Slack team ID (T followed by 8-12 capital letters or digits)`),
  }),
  alertsSlackChannelId: option<string | null>({
    flag: 'alerts-slack-channel-id', negatedFlag: 'no-alerts-slack-channel-id', negatedValue: null, kind: 'string', valueName: '<C…>', saved: true,
    message: 'Slack channel ID for alarm alerts ("none" for no alerts channel)',
    help: 'Slack channel ID (C… or G…) for the alerts, with --alerts-slack-team-id. Default: none',
    defaultValue: () => null,
    validate: (v) => (v === null || SLACK_CHANNEL.test(v) ? undefined : `"${v}" is not a Slack channel ID (C or G followed by 8-12 capital letters or digits)`),
  }),
  containerPort: option<number>({
    flag: 'container-port', kind: 'integer', valueName: '<port>', saved: true,
    message: 'Container port the app listens on',
    help: 'Port the app listens on inside the container, 1024-65535. Default: 8080 (an existing service: the port it listens on)',
    defaultValue: (f) => f.listenPort ?? 8080,
    validate: (v) => intRange(v, 1024, 65535),
  }),
  desiredCount: option<number>({
    flag: 'desired-count', kind: 'integer', valueName: '<n>', saved: true,
    message: 'Number of tasks in production',
    help: 'Tasks in production, 1-100 (staging runs 1). Default: 3',
    defaultValue: () => 3,
    validate: (v) => intRange(v, 1, 100),
  }),
  cpu: option<number>({
    flag: 'cpu', kind: 'integer', valueName: '<units>', saved: true,
    message: 'Task CPU units',
    help: `Fargate task CPU units (${FARGATE_CPUS.join(', ')}). Default: 512`,
    defaultValue: () => 512,
    validate: (v) => (FARGATE_CPUS.includes(v) ? undefined : `${v} is not a Fargate CPU value (${FARGATE_CPUS.join(', ')})`),
  }),
  memory: option<number>({
    flag: 'memory', kind: 'integer', valueName: '<MiB>', saved: true,
    message: 'Task memory (MiB)',
    help: 'Fargate task memory in MiB; must be valid for --cpu (e.g. 512 CPU: 1024-4096). Default: 1024',
    defaultValue: () => 1024,
    validate: (v, o) => {
      const cpu = typeof o.cpu === 'number' ? o.cpu : undefined;
      const allowed = cpu === undefined ? [] : fargateMemoryFor(cpu);
      if (cpu === undefined || allowed.length === 0) return undefined; // the cpu problem is reported on --cpu
      return allowed.includes(v) ? undefined : `${v} MiB is not valid with --cpu ${cpu} (allowed: ${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${allowed[1]! - allowed[0]!})`;
    },
  }),
  nodeVersion: option<string>({
    flag: 'node-version', kind: 'enum', choices: NODE_LTS_LINES, valueName: '<major>', saved: true,
    message: 'Node.js LTS line for the image and CI',
    help: `Node.js LTS major that is not end-of-life (${NODE_LTS_LINES.join(', ')}). Default: 24`,
    defaultValue: (f) => (f.nodeMajor && (NODE_LTS_LINES as readonly string[]).includes(f.nodeMajor) ? f.nodeMajor : '24'),
    validate: () => undefined,
  }),
  staging: option<boolean>({
    flag: 'staging', negatedFlag: 'no-staging', negatedValue: false, kind: 'boolean', saved: true,
    message: 'Deploy to a staging environment before production?',
    help: 'Deploy to staging before production (--no-staging to skip). Default: on',
    defaultValue: () => true,
    validate: () => undefined,
  }),
  stagingStrategy: option<'rolling' | 'canary'>({
    flag: 'staging-strategy', kind: 'enum', choices: ['rolling', 'canary'], valueName: '<strategy>', saved: true,
    message: 'How staging deploys',
    help: 'rolling (ECS rolling update with the deployment circuit breaker; codedeploy: all at once) or canary (like production). Default: rolling (canary on a re-run of a stack generated before this option)',
    defaultValue: (f) => (f.savedWithoutStagingStrategy ? 'canary' : 'rolling'),
    validate: () => undefined,
  }),
  database: option<'postgres' | 'none'>({
    flag: 'database', kind: 'enum', choices: ['postgres', 'none'], valueName: '<db>', saved: true,
    message: 'Database the service uses (readiness check, migrations)',
    help: 'postgres or none: readiness check and migration task. Default: postgres',
    defaultValue: (f) => (f.hasDatabaseClient === false ? 'none' : 'postgres'),
    validate: () => undefined,
  }),
  cache: option<'redis' | 'none'>({
    flag: 'cache', kind: 'enum', choices: ['redis', 'none'], valueName: '<cache>', saved: true,
    message: 'Cache the service uses (readiness check)',
    help: 'redis or none: readiness check of the cache. Default: redis',
    defaultValue: (f) => (f.hasCacheClient === false ? 'none' : 'redis'),
    validate: () => undefined,
  }),
  language: option<'ts' | 'js'>({
    flag: 'language', kind: 'enum', choices: ['ts', 'js'], valueName: '<lang>', saved: true,
    message: 'Language of the generated app code',
    help: 'ts or js for the generated app code. Default: ts (detected in an existing service)',
    defaultValue: (f) => (f.typescript === false ? 'js' : 'ts'),
    validate: () => undefined,
  }),
} as const;

/** Option keys in table order. */
export type OptionKey = keyof typeof OPTION_TABLE;
export const OPTION_KEYS = Object.keys(OPTION_TABLE) as OptionKey[];

type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;
/** Account-specific options that --yes may leave for the user to fill in. */
export type AccountSpecificKey = 'vpcId' | 'publicSubnetIds' | 'privateSubnetIds' | 'certificateArn' | 'githubRepo' | 'githubOwnerId' | 'githubRepoId';
/** Resolved options: one typed value per table entry; account-specific ones are undefined when left as placeholders. */
export type Options = {
  readonly [K in OptionKey]: K extends AccountSpecificKey ? ValueOf<(typeof OPTION_TABLE)[K]> | undefined : ValueOf<(typeof OPTION_TABLE)[K]>;
};
/** What resolveOptions returns: options plus which account-specific values are placeholders. */
export interface ResolvedOptions {
  readonly options: Options;
  readonly placeholders: readonly AccountSpecificKey[];
}
