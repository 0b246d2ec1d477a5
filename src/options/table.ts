/**
 * The option table: every option of the generator, declared once. Flags, prompts, saved answers,
 * --help, README and the `Options` type are all derived from it.
 */
import { option, type DefaultFacts, type OptionSpec } from './spec.js';
import { FARGATE_CPUS } from './fargate.js';
import { detectedGithubId, validateGithubId } from './github-ids.js';
import { MAX_WAIT_WINDOWS_MINUTES, MIN_CANARY_MINUTES } from '../model/timeline.js';
import {
  AWS_REGIONS,
  CERT_ARN,
  defaultNodeLine,
  GITHUB_REPO,
  intRange,
  NODE_LTS_LINES,
  normaliseServiceName,
  SECRET_NAME,
  SERVICE_NAME,
  SLACK_CHANNEL,
  SLACK_TEAM,
  subnetList,
  VPC_ID,
  WAIT_REASON,
} from './rules.js';

export { AWS_REGIONS, NODE_LTS_LINES, normaliseServiceName } from './rules.js';

const known = (v: unknown): boolean => v !== undefined && v !== null;

/** Every option, in prompt order. */
export const OPTION_TABLE = {
  serviceName: option<string>({
    flag: 'service-name',
    kind: 'string',
    valueName: '<name>',
    saved: true,
    group: 'essentials',
    message: 'Service name (ECS service, ECR repository, resource prefix)',
    help: 'Service name: 3-32 chars, lowercase letters, digits and dashes, starts with a letter. Default: package.json name, else folder name',
    defaultValue: (f: DefaultFacts) =>
      normaliseServiceName(f.packageName) ?? normaliseServiceName(f.folderName) ?? 'app',
    validate: (v) => {
      if (!SERVICE_NAME.test(v))
        return `"${v}" must match ${SERVICE_NAME.source} (3-32 chars, lowercase, starts with a letter)`;
      // Security group names are prefixed with the service name, and AWS rejects names starting with sg-.
      return v.startsWith('sg-')
        ? `"${v}" may not start with "sg-" (AWS reserves it for security group ids)`
        : undefined;
    },
  }),
  region: option<string>({
    flag: 'region',
    kind: 'string',
    choices: AWS_REGIONS,
    valueName: '<region>',
    saved: true,
    group: 'essentials',
    message: 'AWS region',
    help: 'AWS commercial region code, e.g. eu-west-1. Default: eu-west-1',
    defaultValue: () => 'eu-west-1',
    validate: (v) =>
      AWS_REGIONS.includes(v) ? undefined : `"${v}" is not an AWS commercial region (e.g. eu-west-1, us-east-1)`,
  }),
  vpcId: option<string>({
    flag: 'vpc-id',
    kind: 'string',
    valueName: '<vpc-id>',
    saved: true,
    accountSpecific: true,
    group: 'essentials',
    message: 'VPC id',
    help: 'VPC id, e.g. vpc-0123456789abcdef0. No default (account-specific)',
    defaultValue: () => undefined,
    validate: (v) => (VPC_ID.test(v) ? undefined : `"${v}" is not a VPC id (expected vpc-<8 or 17 hex digits>)`),
  }),
  publicSubnetIds: option<string[]>({
    flag: 'public-subnets',
    kind: 'list',
    valueName: '<ids>',
    saved: true,
    accountSpecific: true,
    group: 'essentials',
    // Subnets belong to the VPC: a VPC left for later leaves them for later too.
    when: (_f, v) => known(v.vpcId),
    message: 'Public subnet ids for the load balancer (comma-separated, at least 2)',
    help: 'Comma-separated public subnet ids (>= 2) for the ALB. No default',
    defaultValue: () => undefined,
    validate: subnetList,
  }),
  privateSubnetIds: option<string[]>({
    flag: 'private-subnets',
    kind: 'list',
    valueName: '<ids>',
    saved: true,
    accountSpecific: true,
    group: 'essentials',
    when: (_f, v) => known(v.vpcId),
    message: 'Private subnet ids for the tasks (comma-separated, at least 2)',
    help: 'Comma-separated private subnet ids (>= 2) for the tasks; none may also be public. No default',
    defaultValue: () => undefined,
    validate: subnetList,
  }),
  certificateArn: option<string>({
    flag: 'certificate-arn',
    kind: 'string',
    valueName: '<arn>',
    saved: true,
    accountSpecific: true,
    group: 'essentials',
    message: 'ACM certificate ARN for HTTPS (same region)',
    help: 'ACM certificate ARN in the chosen region. No default',
    defaultValue: () => undefined,
    validate: (v) =>
      CERT_ARN.test(v)
        ? undefined
        : `"${v}" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)`,
  }),
  githubRepo: option<string>({
    flag: 'github-repo',
    kind: 'string',
    valueName: '<owner/repo>',
    saved: true,
    accountSpecific: true,
    group: 'essentials',
    message: 'GitHub repository (owner/repo) allowed to deploy',
    help: 'GitHub repository owner/repo trusted by the OIDC roles. Default: from the origin remote',
    defaultValue: (f) => f.githubRepo,
    validate: (v) => (GITHUB_REPO.test(v) ? undefined : `"${v}" is not owner/repo`),
  }),
  githubOwnerId: option<string>({
    flag: 'github-owner-id',
    kind: 'string',
    valueName: '<id>',
    saved: true,
    accountSpecific: true,
    optional: true,
    group: 'canary',
    advanced: true,
    when: (_f, v) => known(v.githubRepo),
    message:
      "GitHub owner's numeric id (gh api repos/OWNER/REPO --jq .owner.id; empty if the repository does not exist yet)",
    help: "Numeric id of the repository's owner, for the immutable OIDC subject of repositories created after 2026-07-15. Default: from gh api when gh is logged in",
    defaultValue: (f, partial) => detectedGithubId('ownerId', f, partial),
    validate: validateGithubId,
  }),
  githubRepoId: option<string>({
    flag: 'github-repo-id',
    kind: 'string',
    valueName: '<id>',
    saved: true,
    accountSpecific: true,
    optional: true,
    group: 'canary',
    advanced: true,
    when: (_f, v) => known(v.githubRepo),
    message: "GitHub repository's numeric id (gh api repos/OWNER/REPO --jq .id; empty if it does not exist yet)",
    help: 'Numeric id of the repository, for the immutable OIDC subject and the repository_id trust condition. Default: from gh api when gh is logged in',
    defaultValue: (f, partial) => detectedGithubId('repoId', f, partial),
    validate: validateGithubId,
  }),
  deploymentEngine: option<'ecs' | 'codedeploy'>({
    flag: 'deployment-engine',
    kind: 'enum',
    choices: ['ecs', 'codedeploy'],
    valueName: '<engine>',
    saved: true,
    group: 'canary',
    choiceHelp: {
      ecs: 'ECS shifts the traffic itself and rolls back on the alarms (AWS-recommended, nothing extra to run)',
      codedeploy: 'a CodeDeploy application runs the blue/green shift (whole percents 1-99)',
    },
    message: 'Canary engine',
    help: 'ecs (ECS built-in canary, AWS-recommended) or codedeploy (CodeDeploy blue/green). Default: ecs',
    defaultValue: () => 'ecs',
    validate: () => undefined,
  }),
  expectedRpm: option<number>({
    flag: 'expected-rpm',
    kind: 'integer',
    valueName: '<n>',
    saved: true,
    group: 'canary',
    advanced: true,
    message: 'Requests per minute the service gets in production (sizes the canary alarms)',
    help: 'Production requests per minute the canary alarms are designed for (their detection power is in docs/DEPLOYMENT.md), 1-1000000. Default: 200',
    defaultValue: () => 200,
    validate: (v) => intRange(v, 1, 1_000_000),
  }),
  canaryPercent: option<number>({
    flag: 'canary-percent',
    kind: 'number',
    valueName: '<pct>',
    saved: true,
    group: 'canary',
    message: 'Percent of traffic the canary gets',
    help: 'Canary traffic share: ecs 0.1-100 in 0.1 steps; codedeploy whole 1-99. Default: 10',
    defaultValue: () => 10,
    // The range for codedeploy (whole 1-99) is a rule of both options: combination.ts.
    validate: (v) => {
      const tenths = Math.round(v * 10);
      if (v < 0.1 || v > 100) return `must be between 0.1 and 100, got ${v}`;
      return Math.abs(tenths - v * 10) > 1e-9 ? `must be a multiple of 0.1, got ${v}` : undefined;
    },
  }),
  canaryMinutes: option<number>({
    flag: 'canary-minutes',
    kind: 'integer',
    valueName: '<min>',
    saved: true,
    group: 'canary',
    message: 'Minutes the canary bakes before the full shift',
    help: `Canary window in minutes, ${MIN_CANARY_MINUTES}-${MAX_WAIT_WINDOWS_MINUTES} (a shorter one leaves no alarm time to roll back before the full shift); with the rollback window at most ${MAX_WAIT_WINDOWS_MINUTES} together (${WAIT_REASON}). Default: 10`,
    defaultValue: () => 10,
    validate: (v) => intRange(v, MIN_CANARY_MINUTES, MAX_WAIT_WINDOWS_MINUTES),
  }),
  rollbackWindowMinutes: option<number>({
    flag: 'rollback-window-minutes',
    kind: 'integer',
    valueName: '<min>',
    saved: true,
    group: 'canary',
    advanced: true,
    message: 'Minutes the old version is kept after 100% (rollback window)',
    help: `Minutes the previous version stays up after the full shift (ECS bake time / CodeDeploy termination wait), 0-${MAX_WAIT_WINDOWS_MINUTES - MIN_CANARY_MINUTES}; with the canary window at most ${MAX_WAIT_WINDOWS_MINUTES} together. Default: 10`,
    defaultValue: () => 10,
    validate: (v) => intRange(v, 0, MAX_WAIT_WINDOWS_MINUTES - MIN_CANARY_MINUTES),
  }),
  slackWebhookSecret: option<string | null>({
    flag: 'slack-webhook-secret',
    negatedFlag: 'no-slack',
    negatedValue: null,
    kind: 'string',
    valueName: '<NAME>',
    saved: true,
    group: 'canary',
    advanced: true,
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
    flag: 'alerts-slack-team-id',
    negatedFlag: 'no-alerts-slack-team-id',
    negatedValue: null,
    kind: 'string',
    valueName: '<T…>',
    saved: true,
    group: 'canary',
    advanced: true,
    message:
      'Slack workspace (team) ID for alarm alerts via Amazon Q Developer in chat applications ("none" for no alerts channel)',
    help: 'Slack team ID (T…) that receives alarm and deployment alerts through Amazon Q Developer in chat applications; with --alerts-slack-channel-id. Default: none (a first-deployment step says how)',
    defaultValue: () => null,
    validate: (v) =>
      v === null || SLACK_TEAM.test(v)
        ? undefined
        : `"${v}" is not a Slack team ID (T followed by 8-12 capital letters or digits)`,
  }),
  alertsSlackChannelId: option<string | null>({
    flag: 'alerts-slack-channel-id',
    negatedFlag: 'no-alerts-slack-channel-id',
    negatedValue: null,
    kind: 'string',
    valueName: '<C…>',
    saved: true,
    group: 'canary',
    advanced: true,
    when: (_f, v) => known(v.alertsSlackTeamId),
    message: 'Slack channel ID for alarm alerts ("none" for no alerts channel)',
    help: 'Slack channel ID (C… or G…) for the alerts, with --alerts-slack-team-id. Default: none',
    defaultValue: () => null,
    validate: (v) =>
      v === null || SLACK_CHANNEL.test(v)
        ? undefined
        : `"${v}" is not a Slack channel ID (C or G followed by 8-12 capital letters or digits)`,
  }),
  containerPort: option<number>({
    flag: 'container-port',
    kind: 'integer',
    valueName: '<port>',
    saved: true,
    group: 'service',
    advanced: true,
    // An existing service that listens on a literal port (and ignores PORT) keeps it.
    when: (f) => f.listenPort === undefined,
    message: 'Container port the app listens on',
    help: 'Port the app listens on inside the container, 1024-65535. Default: 8080 (an existing service: the port it listens on)',
    defaultValue: (f) => f.listenPort ?? 8080,
    validate: (v) => intRange(v, 1024, 65535),
  }),
  desiredCount: option<number>({
    flag: 'desired-count',
    kind: 'integer',
    valueName: '<n>',
    saved: true,
    group: 'service',
    advanced: true,
    message: 'Number of tasks in production',
    help: 'Tasks in production, 1-100 (staging runs 1). Default: 3',
    defaultValue: () => 3,
    validate: (v) => intRange(v, 1, 100),
  }),
  cpu: option<number>({
    flag: 'cpu',
    kind: 'integer',
    valueName: '<units>',
    saved: true,
    group: 'service',
    advanced: true,
    message: 'Task CPU units',
    help: `Fargate task CPU units (${FARGATE_CPUS.join(', ')}). Default: 512`,
    defaultValue: () => 512,
    validate: (v) =>
      FARGATE_CPUS.includes(v) ? undefined : `${v} is not a Fargate CPU value (${FARGATE_CPUS.join(', ')})`,
  }),
  memory: option<number>({
    flag: 'memory',
    kind: 'integer',
    valueName: '<MiB>',
    saved: true,
    group: 'service',
    advanced: true,
    message: 'Task memory (MiB)',
    help: 'Fargate task memory in MiB; must be valid for --cpu (e.g. 512 CPU: 1024-4096). Default: 1024',
    defaultValue: () => 1024,
    validate: () => undefined, // which sizes are valid depends on --cpu: combination.ts
  }),
  nodeVersion: option<string>({
    flag: 'node-version',
    kind: 'enum',
    choices: NODE_LTS_LINES,
    valueName: '<major>',
    saved: true,
    group: 'service',
    advanced: true,
    choiceHelp: {
      '22': 'LTS, end of life 2027-04-30',
      '24': 'LTS, end of life 2028-04-30',
      '26': 'LTS from 2026-10, end of life 2029-04-30',
    },
    message: 'Node.js LTS line for the image and CI',
    help: `Node.js LTS major that is not end-of-life (${NODE_LTS_LINES.join(', ')}). Default: 24`,
    defaultValue: (f) => defaultNodeLine(f.nodeMajor),
    validate: () => undefined,
  }),
  staging: option<boolean>({
    flag: 'staging',
    negatedFlag: 'no-staging',
    negatedValue: false,
    kind: 'boolean',
    saved: true,
    group: 'canary',
    advanced: true,
    message: 'Deploy to a staging environment before production?',
    help: 'Deploy to staging before production (--no-staging to skip). Default: on',
    defaultValue: () => true,
    validate: () => undefined,
  }),
  stagingStrategy: option<'rolling' | 'canary'>({
    flag: 'staging-strategy',
    kind: 'enum',
    choices: ['rolling', 'canary'],
    valueName: '<strategy>',
    saved: true,
    group: 'canary',
    advanced: true,
    when: (_f, v) => v.staging !== false,
    choiceHelp: {
      rolling: 'a rolling update with the circuit breaker: quick, staging is for trying the release',
      canary: 'the same canary as production, rehearsed on every deployment (slower)',
    },
    message: 'How staging deploys',
    help: 'rolling (ECS rolling update with the deployment circuit breaker; codedeploy: all at once) or canary (like production). Default: rolling (canary on a re-run of a stack generated before this option)',
    defaultValue: (f) => (f.savedWithoutStagingStrategy ? 'canary' : 'rolling'),
    validate: () => undefined,
  }),
  database: option<'postgres' | 'none'>({
    flag: 'database',
    kind: 'enum',
    choices: ['postgres', 'none'],
    valueName: '<db>',
    saved: true,
    group: 'service',
    advanced: true,
    choiceHelp: {
      postgres: 'PostgreSQL: /readyz checks it, migrations run as a task before each deployment',
      none: 'no database: no check, no migration task',
    },
    message: 'Database the service uses (readiness check, migrations)',
    help: 'postgres or none: readiness check and migration task. Default: postgres',
    defaultValue: (f) => (f.hasDatabaseClient === false ? 'none' : 'postgres'),
    validate: () => undefined,
  }),
  cache: option<'redis' | 'none'>({
    flag: 'cache',
    kind: 'enum',
    choices: ['redis', 'none'],
    valueName: '<cache>',
    saved: true,
    group: 'service',
    advanced: true,
    choiceHelp: { redis: 'Redis: /readyz checks it', none: 'no cache' },
    message: 'Cache the service uses (readiness check)',
    help: 'redis or none: readiness check of the cache. Default: redis',
    defaultValue: (f) => (f.hasCacheClient === false ? 'none' : 'redis'),
    validate: () => undefined,
  }),
  language: option<'ts' | 'js'>({
    flag: 'language',
    kind: 'enum',
    choices: ['ts', 'js'],
    valueName: '<lang>',
    saved: true,
    group: 'service',
    advanced: true,
    // An existing service keeps its own language.
    when: (f) => !f.adopting,
    choiceHelp: { ts: 'TypeScript, built with tsc', js: 'JavaScript (ES modules), no build step' },
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
export type AccountSpecificKey =
  | 'vpcId'
  | 'publicSubnetIds'
  | 'privateSubnetIds'
  | 'certificateArn'
  | 'githubRepo'
  | 'githubOwnerId'
  | 'githubRepoId';
/** Resolved options: one typed value per table entry; account-specific ones are undefined when left as placeholders. */
export type Options = {
  readonly [K in OptionKey]: K extends AccountSpecificKey
    ? ValueOf<(typeof OPTION_TABLE)[K]> | undefined
    : ValueOf<(typeof OPTION_TABLE)[K]>;
};
/** What resolveOptions returns: options plus which account-specific values are placeholders. */
export interface ResolvedOptions {
  readonly options: Options;
  readonly placeholders: readonly AccountSpecificKey[];
}
