/**
 * What docs/DEPLOYMENT.md and the CLI say about detection power: every number comes from the detection
 * model (detection-model.ts) for the user's settings, never from the template.
 */
import {
  DETECTION_TARGETS,
  rollbackProbability,
  type DeploymentTraffic,
  type Detection,
} from '../model/detection-model.js';

/** Canary error rates (percent) the docs' table and chart show. */
export const REPORTED_RATES_PCT = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100] as const;

/** One row of the power table. */
export interface PowerRow {
  readonly ratePct: number;
  /** P(rollback inside the canary), rounded for display. */
  readonly probability: string;
}

/** Detection facts for templates and the CLI. */
export interface DetectionReport {
  readonly expectedRpm: number;
  readonly canaryRpm: number;
  readonly thresholdPct: number;
  readonly mustCatchPct: number;
  readonly minPower: number;
  readonly baselinePct: number;
  readonly maxFalseRollback: number;
  readonly power: string;
  readonly falseRollback: string;
  readonly feasible: boolean;
  /** The alarm: c, K, Nmin. */
  readonly alarmThresholdPct: number;
  readonly windowMinutes: number;
  readonly minRequests: number;
  readonly looks: number;
  readonly rows: readonly PowerRow[];
  /** Mermaid xychart-beta axis and series, already formatted. */
  readonly chartX: string;
  readonly chartY: string;
  /** One line for the CLI summary. */
  readonly summary: string;
}

const show = (p: number): string =>
  p >= 0.9999 && p < 1 ? '> 0.9999' : p > 0 && p < 0.0001 ? '< 0.0001' : p.toFixed(4);
const showBound = (p: number): string => (p > 0 && p < 0.0001 ? '< 0.0001' : p.toFixed(4));

/** Build the report from the chosen design for this traffic. */
export function detectionReport(t: DeploymentTraffic, d: Detection): DetectionReport {
  const probs = REPORTED_RATES_PCT.map((pct) => rollbackProbability(t, d.design, pct / 100));
  const mustCatchPct = DETECTION_TARGETS.thresholdPct * DETECTION_TARGETS.catchMultiple;
  const base = {
    expectedRpm: t.expectedRpm,
    canaryRpm: Math.round(d.canaryRpm * 100) / 100,
    thresholdPct: DETECTION_TARGETS.thresholdPct,
    mustCatchPct,
    minPower: DETECTION_TARGETS.minPower,
    baselinePct: DETECTION_TARGETS.baselineErrorRate * 100,
    maxFalseRollback: DETECTION_TARGETS.maxFalseRollback,
    power: show(d.power),
    falseRollback: showBound(d.falseRollback),
    feasible: d.feasible,
    alarmThresholdPct: d.design.thresholdPct,
    windowMinutes: d.design.windowMinutes,
    minRequests: d.design.minRequests,
    looks: d.looks,
  };
  return {
    ...base,
    rows: REPORTED_RATES_PCT.map((ratePct, i) => ({ ratePct, probability: show(probs[i]!) })),
    chartX: `[${REPORTED_RATES_PCT.map((r) => `"${r}"`).join(', ')}]`,
    chartY: `[${probs.map((p) => (Math.round(p * 1000) / 1000).toString()).join(', ')}]`,
    summary:
      `Detection at ${t.expectedRpm} requests/min: a ${mustCatchPct} % canary error rate is rolled back inside the canary with ` +
      `P = ${base.power}; a healthy release (${base.baselinePct} % errors) is rolled back with P <= ${base.falseRollback} per deployment ` +
      `(alarm: 5xx > ${base.alarmThresholdPct} % over ${base.windowMinutes} min with >= ${base.minRequests} requests).`,
  };
}
