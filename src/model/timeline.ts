/**
 * The canary timeline model of domain-audit §d, used by the cross-field rule and by the docs. Detection
 * of error rates comes from detection-model.ts (the per-target-group rate alarm it designs).
 *
 * Fully broken canary: the alarm can fire at the first look with Nmin requests, after j* minutes of
 * canary data: T_detect = a + j* + L (a = alignment 0..1 min, L = CloudWatch latency).
 * T_rb = T_detect + T_poll + T_shift. Caught inside the canary iff T_rb < W; caught at all iff T_rb < W + B.
 * Blast radius E = f·min(T_rb, W) + max(0, min(T_rb, W + B) − W)   (full-traffic minutes)
 */
import { DETECTION_TARGETS, chooseAlarmDesign, type DeploymentTraffic, type Detection } from './detection-model.js';

/** The other alarms (unhealthy hosts, load-balancer 5xx) work on one-minute ALB datapoints. */
export const ALARM_SETTINGS = {
  /** ALB metrics are 60-second. */
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  /** Minimum requests per period on the load balancer before its own 5xx rate counts. */
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
  /** The rate alarm and its power for the stated traffic. */
  readonly detection: Detection;
  /** Whether a fully broken canary is rolled back before the full shift (rollback time ≤ W), as the docs and the CLI say it. */
  readonly caughtDuringCanary: string;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function blastRadius(f: number, tRb: number, w: number, b: number): number {
  return f * Math.min(tRb, w) + Math.max(0, Math.min(tRb, w + b) - w);
}

/** The traffic a production deployment sees with these settings (the detection model's input). */
export function deploymentTraffic(
  canaryPercent: number,
  canaryMinutes: number,
  rollbackWindowMinutes: number,
  expectedRpm: number,
): DeploymentTraffic {
  return {
    expectedRpm,
    canaryFraction: canaryPercent / 100,
    canaryMinutes,
    bakeMinutes: rollbackWindowMinutes,
    latencyMaxMinutes: TIMING_ASSUMPTIONS.latencyMax,
    pollMaxMinutes: TIMING_ASSUMPTIONS.pollMax,
  };
}

/** Minutes of canary data before the first look that may fire (Nmin requests reached). */
function firstLookMinutes(detection: Detection): number {
  const rpm = detection.canaryRpm;
  return rpm > 0 ? Math.max(1, Math.ceil(detection.design.minRequests / rpm - 1e-9)) : Infinity;
}

/** Compute the §d numbers for canary percent, window W, rollback window B and the stated traffic. */
export function computeTimeline(
  canaryPercent: number,
  canaryMinutes: number,
  rollbackWindowMinutes: number,
  expectedRpm: number,
): Timeline {
  const detection = chooseAlarmDesign(
    deploymentTraffic(canaryPercent, canaryMinutes, rollbackWindowMinutes, expectedRpm),
  );
  const first = firstLookMinutes(detection);
  const detectMin = first + TIMING_ASSUMPTIONS.latencyMin;
  const detectMax = first + 1 + TIMING_ASSUMPTIONS.latencyMax;
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
    detection,
    caughtDuringCanary:
      rbMax <= canaryMinutes
        ? `Yes, even in the worst case (${rbMax} ≤ W = ${canaryMinutes} min)`
        : `Only when detected early: the worst case (${rbMax} min) is after the full shift at W = ${canaryMinutes} min`,
  };
}

/**
 * The deploy job waits for canary + rollback window. GitHub Actions ends a job after 360 minutes, and
 * the job also needs time to provision, migrate and shift; so the two windows together are capped.
 */
export const MAX_WAIT_WINDOWS_MINUTES = 300;

/**
 * The shortest canary window in which an alarm can roll back before the full shift at all: one usable
 * one-minute look after CloudWatch's latency, the deployer's poll and the bucket alignment
 * (detection-model.ts usableLooks). Shorter windows are refused whatever the traffic.
 */
export const MIN_CANARY_MINUTES = 2 + TIMING_ASSUMPTIONS.latencyMax + TIMING_ASSUMPTIONS.pollMax;

/** Verdict of the canary rule: errors refuse the options, warnings are printed. */
export interface CanaryVerdict {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** The canary settings the cross-field rule judges. */
export interface CanarySettings {
  readonly canaryPercent: number;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
  readonly expectedRpm: number;
  /** Smallest canary-percent step and largest percent of the engine (ecs 0.1 / 100, codedeploy 1 / 99). */
  readonly percentStep?: number;
  readonly percentMax?: number;
}

const fmt = (p: number): string => (p >= 0.9995 ? p.toFixed(4) : p.toFixed(3));

/** Smallest value in (from, to] (multiples of step) for which `ok` holds, assuming ok is monotone; undefined if none. */
function smallest(from: number, to: number, step: number, ok: (v: number) => boolean): number | undefined {
  let lo = Math.round(from / step) + 1;
  let hi = Math.round(to / step);
  if (lo > hi || !ok(hi * step)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid * step)) hi = mid;
    else lo = mid + 1;
  }
  return Math.round(lo * step * 10) / 10;
}

/** The refusal when no alarm reaches the detection targets: the numbers, and what would reach them. */
function powerError(s: CanarySettings, d: Detection): string {
  const pct = DETECTION_TARGETS.thresholdPct * DETECTION_TARGETS.catchMultiple;
  const feasible = (t: Partial<CanarySettings>): boolean => {
    const v = { ...s, ...t };
    return chooseAlarmDesign(
      deploymentTraffic(v.canaryPercent, v.canaryMinutes, v.rollbackWindowMinutes, v.expectedRpm),
    ).feasible;
  };
  const rpm = smallest(s.expectedRpm, 1_000_000, 1, (expectedRpm) => feasible({ expectedRpm }));
  const percent = smallest(s.canaryPercent, s.percentMax ?? 100, s.percentStep ?? 0.1, (canaryPercent) =>
    feasible({ canaryPercent }),
  );
  const fixes = [
    rpm !== undefined && `--expected-rpm ${Math.ceil(rpm)} or more`,
    percent !== undefined && `--canary-percent ${percent} or more`,
    'a longer --canary-minutes',
  ].filter(Boolean);
  return (
    `--expected-rpm ${s.expectedRpm} with --canary-percent ${s.canaryPercent} gives the canary ${round2(d.canaryRpm)} requests/min, and ` +
    `--canary-minutes ${s.canaryMinutes} leaves ${d.looks} one-minute look(s) that can roll back before the full shift ` +
    `(${TIMING_ASSUMPTIONS.latencyMax} min CloudWatch latency + ${TIMING_ASSUMPTIONS.pollMax} min deployer poll + 1 min alignment). ` +
    `No alarm then rolls back a ${pct} % error rate with P >= ${DETECTION_TARGETS.minPower} while keeping false rollbacks at ` +
    `${DETECTION_TARGETS.baselineErrorRate * 100} % baseline errors <= ${DETECTION_TARGETS.maxFalseRollback} per deployment ` +
    `(best: P = ${fmt(d.power)} with false rollbacks <= ${fmt(d.falseRollback)}). Use ${fixes.join(', or ')}.`
  );
}

/**
 * The canary rule (one of the cross-field rules in options/combination.ts): refuse settings in which the
 * alarms cannot reach the detection targets or the deploy job cannot wait long enough; warn when
 * back-to-back deployments can dilute the canary's rate.
 */
export function canaryVerdict(s: CanarySettings): CanaryVerdict {
  const w = s.canaryMinutes;
  const total = w + s.rollbackWindowMinutes;
  const errors: string[] = [];
  const warnings: string[] = [];
  if (total > MAX_WAIT_WINDOWS_MINUTES) {
    errors.push(
      `--canary-minutes ${w} + --rollback-window-minutes ${s.rollbackWindowMinutes} = ${total} min, but the deploy job waits for both ` +
        `and GitHub Actions stops a job after 360 min (less provisioning and migration time): keep the total at or below ${MAX_WAIT_WINDOWS_MINUTES} min ` +
        `(--canary-minutes ${Math.max(1, MAX_WAIT_WINDOWS_MINUTES - s.rollbackWindowMinutes)} or --rollback-window-minutes ${Math.max(0, MAX_WAIT_WINDOWS_MINUTES - w)} at most, keeping the other).`,
    );
  }
  const d = computeTimeline(s.canaryPercent, w, s.rollbackWindowMinutes, s.expectedRpm).detection;
  if (!d.feasible) errors.push(powerError(s, d));
  else if (d.design.windowMinutes > s.rollbackWindowMinutes + 2) {
    warnings.push(
      `the canary alarm looks back ${d.design.windowMinutes} min, longer than --rollback-window-minutes ${s.rollbackWindowMinutes} + 2: ` +
        `a deployment that starts right after the previous one can count the previous release's last requests and catch less ` +
        `than docs/DEPLOYMENT.md says. Consider --rollback-window-minutes ${d.design.windowMinutes - 2} or more.`,
    );
  }
  return { errors, warnings };
}
