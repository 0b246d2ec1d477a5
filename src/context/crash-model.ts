/**
 * A release that crashes at start-up never serves a request, so no 5xx alarm can see it. On the ECS
 * engine the deployment circuit breaker fails (and rolls back) the deployment after a number of failed
 * task launches; this is the model docs/DEPLOYMENT.md's crash drill quotes.
 *
 * Threshold (ECS API, ServiceDeploymentCircuitBreaker): 0.5 × desired count, at least 3, at most 200.
 * ECS starts the new revision's desired count at once and replaces each task that stops, so the
 * threshold is reached after ceil(threshold / desired) rounds of launches. A task that exits at
 * start-up has reached RUNNING, so ECS's launch throttle does not slow the rounds down (ECS developer
 * guide, "service throttle logic"), and with health checks configured (the target group's and the
 * container's) the breaker keeps counting such tasks (AWS in aws/containers-roadmap#1206).
 */

/** Minutes one failed launch takes: Fargate start + image pull + the crash (assumption, measure it). */
export const FAILED_LAUNCH_MINUTES = { min: 1, max: 3 } as const;

/** Circuit-breaker numbers for one environment. */
export interface CrashDrill {
  readonly environment: string;
  readonly desiredCount: number;
  /** Failed tasks after which ECS fails the deployment. */
  readonly threshold: number;
  /** Rounds of launches of the whole desired count until the threshold is reached. */
  readonly rounds: number;
  /** The per-launch assumption the minutes are computed from (stated in the docs). */
  readonly launchMinutes: typeof FAILED_LAUNCH_MINUTES;
  readonly minMinutes: number;
  readonly maxMinutes: number;
}

/** The failed-task threshold of the circuit breaker for a desired count. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/** When a crashing release is rolled back by the circuit breaker, for this environment. */
export function crashDrill(environment: string, desiredCount: number): CrashDrill {
  const threshold = circuitBreakerThreshold(desiredCount);
  const rounds = Math.ceil(threshold / desiredCount);
  return {
    environment,
    desiredCount,
    threshold,
    rounds,
    launchMinutes: FAILED_LAUNCH_MINUTES,
    minMinutes: rounds * FAILED_LAUNCH_MINUTES.min,
    maxMinutes: rounds * FAILED_LAUNCH_MINUTES.max,
  };
}
