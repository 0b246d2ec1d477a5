/**
 * The canary timeline model of domain-audit §d, used by the cross-field rule and by the docs.
 *
 * T_detect = a + M·P + L      (a = bucket alignment 0..P, M = datapoints to alarm, P = period, L = latency)
 * T_rb     = T_detect + T_poll + T_shift
 * Caught inside the canary iff T_rb < W; caught at all iff T_rb < W + B.
 * Blast radius E = f·min(T_rb, W) + max(0, min(T_rb, W + B) − W)   (full-traffic minutes)
 */

/** Alarm settings the generated stack uses (cloudwatch.tf renders exactly these). */
export const ALARM_SETTINGS = {
  /** ALB metrics are 60-second. */
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  errorRateThresholdPct: 5,
  /** Minimum requests per period on a target group before its 5xx rate counts. */
  minRequestsPerPeriod: 20,
} as const;

/** Assumptions of the model, in minutes (not measurable offline; stated in the docs). */
export const TIMING_ASSUMPTIONS = {
  latencyMin: 1,
  latencyMax: 2,
  pollMax: 1,
  shift: 0,
} as const;

/** Derived numbers for a given canary configuration. */
export interface Timeline {
  readonly detectMinMinutes: number;
  readonly detectMaxMinutes: number;
  readonly rollbackMinMinutes: number;
  readonly rollbackMaxMinutes: number;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
  readonly canaryFraction: number;
  /** Blast radius in full-traffic minutes for a fully broken canary, best and worst case. */
  readonly blastRadiusMinMinutes: number;
  readonly blastRadiusMaxMinutes: number;
  /** Requests per minute at which a canary's per-target-group rate becomes measurable. */
  readonly minDetectableRequestsPerMinute: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function blastRadius(f: number, tRb: number, w: number, b: number): number {
  return f * Math.min(tRb, w) + Math.max(0, Math.min(tRb, w + b) - w);
}

/** Compute the §d numbers for canary percent, window W and rollback window B. */
export function computeTimeline(canaryPercent: number, canaryMinutes: number, rollbackWindowMinutes: number): Timeline {
  const p = ALARM_SETTINGS.periodSeconds / 60;
  const m = ALARM_SETTINGS.datapointsToAlarm;
  const detectMin = 0 + m * p + TIMING_ASSUMPTIONS.latencyMin;
  const detectMax = p + m * p + TIMING_ASSUMPTIONS.latencyMax;
  const rbMin = detectMin + TIMING_ASSUMPTIONS.shift;
  const rbMax = detectMax + TIMING_ASSUMPTIONS.pollMax + TIMING_ASSUMPTIONS.shift;
  const f = canaryPercent / 100;
  return {
    detectMinMinutes: detectMin,
    detectMaxMinutes: detectMax,
    rollbackMinMinutes: rbMin,
    rollbackMaxMinutes: rbMax,
    canaryMinutes,
    rollbackWindowMinutes,
    canaryFraction: f,
    blastRadiusMinMinutes: round2(blastRadius(f, rbMin, canaryMinutes, rollbackWindowMinutes)),
    blastRadiusMaxMinutes: round2(blastRadius(f, rbMax, canaryMinutes, rollbackWindowMinutes)),
    minDetectableRequestsPerMinute: Math.ceil(ALARM_SETTINGS.minRequestsPerPeriod / (f * p)),
  };
}

/**
 * The deploy job waits for canary + rollback window. GitHub Actions ends a job after 360 minutes, and
 * the job also needs time to provision, migrate and shift; so the two windows together are capped.
 */
export const MAX_WAIT_WINDOWS_MINUTES = 300;

/** Verdict of the cross-field rule: errors refuse the options, warnings are printed. */
export interface CombinationVerdict {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * The one cross-field rule: refuse a canary + rollback window in which the alarm can never roll back,
 * warn when detection can land after the full shift or after the old version is gone.
 */
export function validateCombination(canaryPercent: number, canaryMinutes: number, rollbackWindowMinutes: number): CombinationVerdict {
  const t = computeTimeline(canaryPercent, canaryMinutes, rollbackWindowMinutes);
  const w = canaryMinutes;
  const total = w + rollbackWindowMinutes;
  const model = `alarm needs ${t.rollbackMinMinutes}-${t.rollbackMaxMinutes} min to roll back ` +
    `(${ALARM_SETTINGS.datapointsToAlarm} of ${ALARM_SETTINGS.evaluationPeriods} ${ALARM_SETTINGS.periodSeconds}-s periods + 0-1 min alignment + ` +
    `${TIMING_ASSUMPTIONS.latencyMin}-${TIMING_ASSUMPTIONS.latencyMax} min CloudWatch latency + up to ${TIMING_ASSUMPTIONS.pollMax} min deployer poll)`;
  const errors: string[] = [];
  const warnings: string[] = [];
  if (total < t.rollbackMinMinutes) {
    errors.push(`--canary-minutes ${w} + --rollback-window-minutes ${rollbackWindowMinutes} = ${total} min, but the ${model}: ` +
      `the alarm can never trigger a rollback. Use a total of at least ${t.rollbackMaxMinutes} min (recommended: 10 + 10).`);
  } else if (total < t.rollbackMaxMinutes) {
    warnings.push(`--canary-minutes ${w} + --rollback-window-minutes ${rollbackWindowMinutes} = ${total} min; the ${model}: ` +
      `a late-detected failure may find the old version already gone.`);
  }
  if (total > MAX_WAIT_WINDOWS_MINUTES) {
    errors.push(`--canary-minutes ${w} + --rollback-window-minutes ${rollbackWindowMinutes} = ${total} min, but the deploy job waits for both ` +
      `and GitHub Actions stops a job after 360 min (less provisioning and migration time): keep the total at or below ${MAX_WAIT_WINDOWS_MINUTES} min ` +
      `(--canary-minutes ${Math.max(1, MAX_WAIT_WINDOWS_MINUTES - rollbackWindowMinutes)} or --rollback-window-minutes ${Math.max(0, MAX_WAIT_WINDOWS_MINUTES - w)} at most, keeping the other).`);
  }
  if (errors.length === 0 && w < t.rollbackMaxMinutes) {
    warnings.push(`--canary-minutes ${w} is shorter than the worst-case ${t.rollbackMaxMinutes} min rollback time (${model}): ` +
      `a failure can be detected only after 100% of traffic has shifted. Consider --canary-minutes ${t.rollbackMaxMinutes + 2} or more.`);
  }
  return { errors, warnings };
}
