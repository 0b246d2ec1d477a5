/**
 * How long a deploy job may wait for each of its phases, and the job timeout that contains them all.
 *
 * A deploy job runs: setup (checkout, credentials, variable check, task definition) → the alarm gate
 * (waits, bounded, for a firing deployment alarm to clear) → the migration task
 * (the deploy action waits for it, bounded by its `wait-for-minutes`) → the deployment (the workflow's own
 * wait step polls it to a terminal state, bounded by `deploymentWaitMinutes`). Each bound covers the
 * slowest legitimate run of its phase, including a rollback, and the job timeout is their sum plus a
 * margin: no wait is ever cut short by the one after it or by the job timeout. The action never waits
 * for the deployment itself (its CodeDeploy wait would add the deployment group's termination wait on
 * top of `wait-for-minutes`, which also bounds the migration).
 */

/** Budgets in minutes (assumptions, stated in docs/DEPLOYMENT.md). */
export const DEPLOY_BUDGET = {
  /** Checkout, credentials, variable check, task-definition render and registration. */
  setupMinutes: 5,
  /** The pre-deploy alarm gate: the longest it waits for a firing deployment alarm to clear. */
  alarmGateMinutes: 10,
  /** Poll interval of the alarm gate. */
  alarmGatePollSeconds: 30,
  /** The migration task: Fargate start-up (1-2 min) plus the migration itself. */
  migrationMinutes: 15,
  /** New tasks start, pass the container and target-group health checks. */
  provisionMinutes: 5,
  /** A rollback: traffic back on the previous revision, the new tasks stopped. */
  rollbackMinutes: 10,
  /** Rolling update: tasks that keep failing to start trip the circuit breaker (3 failed tasks for 1 task). */
  circuitBreakerMinutes: 15,
  /** Slack between phases and before the job timeout. */
  marginMinutes: 5,
  /** How long the wait step looks for the service deployment of the new revision before giving up. */
  discoveryMinutes: 5,
  /** Poll interval of the wait step. */
  pollSeconds: 15,
  /** Consecutive failed polls (throttling, a 5xx, a network blip) the wait step rides out. */
  maxFailedPolls: 8,
} as const;

/** GitHub Actions ends any job after 360 minutes. */
export const GITHUB_MAX_JOB_MINUTES = 360;
/** IAM's longest role session. */
const MAX_ROLE_SESSION_SECONDS = 12 * 3600;

/** How an environment deploys: the canary (W, then 100 %, then B), or a rolling update. */
export type DeployStrategy = 'canary' | 'rolling';

/** Input of one environment's timing. */
export interface TimingInput {
  readonly strategy: DeployStrategy;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
  readonly hasMigration: boolean;
}

/** Derived bounds of one environment's deploy job, in minutes. */
export interface DeployTiming {
  readonly strategy: DeployStrategy;
  /** The deploy action's `wait-for-minutes`: bounds its wait for the migration task. */
  readonly actionWaitMinutes: number;
  /** How long the deployment itself may take in the worst legitimate case (incl. a rollback). */
  readonly deploymentMinutes: number;
  /** The wait step's bound: the deployment plus a margin. */
  readonly deploymentWaitMinutes: number;
  /** The job's `timeout-minutes`. */
  readonly jobTimeoutMinutes: number;
}

/** The bounds for one environment. */
export function deployTiming(t: TimingInput): DeployTiming {
  const b = DEPLOY_BUDGET;
  const deploymentMinutes =
    t.strategy === 'canary'
      ? b.provisionMinutes + t.canaryMinutes + t.rollbackWindowMinutes + b.rollbackMinutes
      : b.provisionMinutes + b.circuitBreakerMinutes + b.rollbackMinutes;
  const deploymentWaitMinutes = deploymentMinutes + b.marginMinutes;
  const migration = t.hasMigration ? b.migrationMinutes : 0;
  return {
    strategy: t.strategy,
    actionWaitMinutes: b.migrationMinutes,
    deploymentMinutes,
    deploymentWaitMinutes,
    jobTimeoutMinutes: b.setupMinutes + b.alarmGateMinutes + migration + deploymentWaitMinutes + b.marginMinutes,
  };
}

/** Role session for the deploy roles: whole hours, at least the longest job, at most IAM's 12 h. */
export function roleSessionSeconds(jobTimeoutMinutes: number): number {
  return Math.min(MAX_ROLE_SESSION_SECONDS, Math.max(3600, Math.ceil(jobTimeoutMinutes / 60) * 3600));
}
