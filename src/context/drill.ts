/**
 * The generated rollback drill (.github/workflows/rollback-drill.yml, ECS engine, staging): how long
 * a deliberately failing revision may take to be rolled back, which the workflow asserts.
 *
 * Predicted ≤ provisioning of the drill task (Fargate start, image pull, two healthy checks, grace)
 * + the smoke-test hook (its Lambda timeout, rounded up) + the rollback (traffic back, scale-in).
 */
import type { SmokeTestContext } from './smoke-test.js';

/** Assumptions in minutes, stated in docs/DEPLOYMENT.md (measure yours with the drill). */
export const DRILL_ASSUMPTIONS = { provisionMaxMinutes: 5, rollbackMaxMinutes: 3 } as const;

/** What the drill workflow and its documentation need. */
export interface DrillContext {
  /** Generated only for the ECS engine with a staging environment. */
  readonly enabled: boolean;
  readonly deadlineMinutes: number;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
}

/** The drill's numbers for these settings. */
export function drillContext(isEcs: boolean, staging: boolean, smoke: SmokeTestContext): DrillContext {
  const deadline = DRILL_ASSUMPTIONS.provisionMaxMinutes + Math.ceil(smoke.timeoutSeconds / 60) + DRILL_ASSUMPTIONS.rollbackMaxMinutes;
  return { enabled: isEcs && staging, deadlineMinutes: deadline, timeoutMinutes: deadline + 10, pollSeconds: 15 };
}
