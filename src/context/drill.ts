/**
 * The generated rollback drill (.github/workflows/rollback-drill.yml, ECS engine, staging): which
 * rollback chain it proves, what makes its revision fail, and how long the rollback may take, which
 * the workflow asserts.
 *
 * Staging on the canary ('smoke-test'): the drill revision answers 503 on DRILL_FAIL_PATH, the smoke
 * test (the lifecycle hook at POST_TEST_TRAFFIC_SHIFT) fails. Predicted ≤ provisioning of the drill task
 * (Fargate start, image pull, two healthy checks, grace) + the hook (its Lambda timeout, rounded up) +
 * the rollback.
 *
 * Staging on a rolling update ('circuit-breaker'): there is no test-traffic stage, so no smoke test,
 * and staging rarely has the traffic the 5xx alarm needs; a revision that answers 503 on a route would
 * simply be deployed. What protects it is the deployment circuit breaker, so the drill revision exits
 * at start-up (DRILL_CRASH=1) and the prediction is the crash model's for staging (crash-model.ts, the
 * row docs/DEPLOYMENT.md's crash drill prints) + the rollback.
 */
import type { CrashDrill } from './crash-model.js';
import type { SmokeTestContext } from './smoke-test.js';

/** Assumptions in minutes, stated in docs/DEPLOYMENT.md (measure yours with the drill). */
export const DRILL_ASSUMPTIONS = { provisionMaxMinutes: 5, rollbackMaxMinutes: 3 } as const;

/** The value of DRILL_CRASH that makes the generated health module exit at start-up. */
export const DRILL_CRASH_VALUE = '1';

/** The rollback chain the drill proves: the smoke-test hook (canary) or the circuit breaker (rolling). */
export type DrillChain = 'smoke-test' | 'circuit-breaker';

/** What the drill workflow and its documentation need. */
export interface DrillContext {
  /** Generated only for the ECS engine with a staging environment. */
  readonly enabled: boolean;
  readonly chain: DrillChain;
  /** The variable the drill sets on staging's running revision. */
  readonly variable: 'DRILL_FAIL_PATH' | 'DRILL_CRASH';
  /** Its value on the 'circuit-breaker' chain (the 'smoke-test' chain takes the path as an input). */
  readonly crashValue: typeof DRILL_CRASH_VALUE;
  /** Minutes from the deployment's start until the rollback starts, at most. */
  readonly detectMaxMinutes: number;
  readonly deadlineMinutes: number;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
  /** Staging's circuit-breaker numbers (the 'circuit-breaker' chain), else null. */
  readonly crash: CrashDrill | null;
}

/** Staging as the drill sees it: its strategy and its row of the crash model. */
export interface DrillStaging {
  readonly isCanary: boolean;
  readonly crash: CrashDrill;
}

/** The drill's chain and numbers for these settings (`staging` undefined: no staging, no drill). */
export function drillContext(isEcs: boolean, staging: DrillStaging | undefined, smoke: SmokeTestContext): DrillContext {
  const rolling = staging !== undefined && !staging.isCanary;
  const detectMaxMinutes = rolling
    ? staging.crash.maxMinutes
    : DRILL_ASSUMPTIONS.provisionMaxMinutes + Math.ceil(smoke.timeoutSeconds / 60);
  const deadline = detectMaxMinutes + DRILL_ASSUMPTIONS.rollbackMaxMinutes;
  return {
    enabled: isEcs && staging !== undefined,
    chain: rolling ? 'circuit-breaker' : 'smoke-test',
    variable: rolling ? 'DRILL_CRASH' : 'DRILL_FAIL_PATH',
    crashValue: DRILL_CRASH_VALUE,
    detectMaxMinutes,
    deadlineMinutes: deadline,
    timeoutMinutes: deadline + 10,
    pollSeconds: 15,
    crash: rolling ? staging.crash : null,
  };
}
