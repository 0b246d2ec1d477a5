/**
 * Detection power of the per-target-group 5xx-rate alarm, computed exactly (binomial), and the alarm
 * design chosen from it. One model for the refusal in validateCombination (options/combination.ts), the power
 * printed at generation, the alarm in cloudwatch.tf and the table and chart in docs/DEPLOYMENT.md.
 *
 * The alarm (cloudwatch.tf): period = K minutes, 1 of 1 datapoint, IF(req >= Nmin, 100*FILL(err,0)/req, 0)
 * > c. CloudWatch evaluates an alarm with a period of a minute or more every minute over a sliding
 * window, so each minute it sees the last K minutes of published data.
 *
 * Model (assumptions stated in the docs):
 * - Requests arrive at the stated rate, split by the canary percent; each fails independently with the
 *   canary's error rate e (Binomial). The first, partial canary minute is ignored (worst alignment).
 * - Look j sees canary minutes 1..j once CloudWatch has published them (latency L ≤ latencyMax) and ECS
 *   reacts within pollMax: look j rolls back inside the canary iff j + 1 + L + poll ≤ W, i.e. j ≤ D.
 * - K = W + 1 (≤ 1440), so every look inside the canary sees all canary data so far: the looks form a
 *   cumulative process, and P(any look fires) is computed exactly by dynamic programming over the
 *   cumulative error count (above DP_LIMIT requests: the best single look, a lower bound).
 * - False rollback at the baseline error rate p0 over one deployment (canary W + bake B, both target
 *   groups): exact for the cumulative looks, plus a union bound over every later sliding window.
 */
import { binomialPmfArray, binomialTailAbove } from './binomial.js';

/** What the alarms must achieve (issue: rollback power at 2× the threshold, false rollbacks at 1 %). */
export const DETECTION_TARGETS = {
  /** θ: the canary error rate (percent of requests) that counts as bad. */
  thresholdPct: 5,
  /** The canary must roll back at catchMultiple × θ … */
  catchMultiple: 2,
  /** … with at least this probability, inside the canary window. */
  minPower: 0.99,
  /** Error rate of a healthy release (both versions), as a fraction. */
  baselineErrorRate: 0.01,
  /** Largest acceptable probability that a healthy release is rolled back, per deployment. */
  maxFalseRollback: 0.01,
} as const;

/** The traffic and timing one deployment sees. */
export interface DeploymentTraffic {
  /** Requests per minute of the whole service (--expected-rpm). */
  readonly expectedRpm: number;
  /** Canary share, 0..1. */
  readonly canaryFraction: number;
  readonly canaryMinutes: number;
  readonly bakeMinutes: number;
  readonly latencyMaxMinutes: number;
  readonly pollMaxMinutes: number;
}

/** The per-target-group rate alarm the model chose (rendered into cloudwatch.tf). */
export interface AlarmDesign {
  /** c: the alarm fires when the window's 5xx percent exceeds this. */
  readonly thresholdPct: number;
  /** K: the alarm period in minutes (the sliding window). */
  readonly windowMinutes: number;
  /** Nmin: below this many requests in the window the rate counts as 0. */
  readonly minRequests: number;
}

/** A design and what it achieves. */
export interface Detection {
  readonly design: AlarmDesign;
  /** P(rollback inside the canary) at catchMultiple × θ. */
  readonly power: number;
  /** Upper bound of P(a healthy release is rolled back) in one deployment. */
  readonly falseRollback: number;
  readonly feasible: boolean;
  /** D: looks that can still roll back inside the canary. */
  readonly looks: number;
  /** Requests per minute that reach the canary. */
  readonly canaryRpm: number;
}

/** Above this many canary requests the DP is replaced by its bounds (which are then tight). */
const DP_LIMIT = 20000;
const MAX_WINDOW_MINUTES = 1440;

/** Integer requests in minute m (1-based) at `rpm`, rounding the running total (fractional rates too). */
const countIn = (rpm: number, m: number): number => Math.round(m * rpm) - Math.round((m - 1) * rpm);

/** D: the looks whose rollback still lands inside the canary window. */
export function usableLooks(t: DeploymentTraffic): number {
  return Math.max(0, t.canaryMinutes - 1 - t.latencyMaxMinutes - t.pollMaxMinutes);
}

/** Largest error count that does not breach c % of n requests. */
const allowed = (n: number, pct: number): number => Math.floor((pct * n) / 100 + 1e-9);

/** Probability mass below this is dropped from the ends of the DP's distribution (keeps it narrow). */
const DROP = 1e-22;

/** P(some look among the cumulative ones fires), exact up to DROP; `counts` are each look's new requests. */
function cumulativeFire(counts: readonly number[], e: number, d: AlarmDesign): number {
  const pmfs = counts.map((c) => binomialPmfArray(c, e));
  // Two buffers, used in turn (each step's distribution is only read by the next): a scaffold runs this
  // DP a few hundred times, and an array per step was most of what it allocated.
  const capacity = pmfs.reduce((sum, pmf) => sum + pmf.values.length, 1);
  const buffers = [new Float64Array(capacity), new Float64Array(capacity)] as const;
  // dist[i] = P(i + lo cumulative errors and no alarm yet).
  let lo = 0;
  let dist = buffers[0].subarray(0, 1);
  dist[0] = 1;
  let turn = 1;
  let n = 0;
  for (let j = 0; j < counts.length; j++) {
    const pmf = pmfs[j]!;
    const values = pmf.values;
    const width = values.length;
    const next = buffers[turn]!.subarray(0, dist.length + width - 1).fill(0);
    for (let i = 0; i < dist.length; i++) {
      const p = dist[i]!;
      for (let k = 0; k < width; k++) next[i + k]! += p * values[k]!;
    }
    lo += pmf.lo;
    n += counts[j]!;
    const keep = n >= d.minRequests ? allowed(n, d.thresholdPct) - lo + 1 : next.length;
    let start = 0;
    let end = Math.min(next.length, Math.max(0, keep));
    while (start < end && next[start]! < DROP) start++;
    while (end > start && next[end - 1]! < DROP) end--;
    dist = next.subarray(start, end);
    lo += start;
    turn = 1 - turn;
  }
  let alive = 0;
  for (let i = 0; i < dist.length; i++) alive += dist[i]!;
  return Math.max(0, 1 - alive);
}

/** P(the single window of n requests breaches) at error rate e. */
const windowFires = (n: number, e: number, d: AlarmDesign): number =>
  n >= d.minRequests && n > 0 ? binomialTailAbove(n, e, allowed(n, d.thresholdPct)) : 0;

/** P(rollback inside the canary) at canary error rate e (exact, or the best single look past DP_LIMIT). */
export function rollbackProbability(t: DeploymentTraffic, d: AlarmDesign, e: number): number {
  const rpm = t.expectedRpm * t.canaryFraction;
  const looks = Math.min(usableLooks(t), d.windowMinutes - 1);
  const counts = Array.from({ length: looks }, (_, j) => countIn(rpm, j + 1));
  if (counts.reduce((a, b) => a + b, 0) <= DP_LIMIT) return cumulativeFire(counts, e, d);
  let best = 0;
  let n = 0;
  for (const c of counts) {
    n += c;
    best = Math.max(best, windowFires(n, e, d));
  }
  return best;
}

/** Requests per minute of one target group, minutes from −K+1 to the end of the bake, as prefix sums. */
function prefixSums(
  t: DeploymentTraffic,
  d: AlarmDesign,
  perMinute: (m: number) => number,
): { at: (j: number) => number } {
  const start = 1 - d.windowMinutes;
  const end = t.canaryMinutes + t.bakeMinutes;
  const sums = [0];
  for (let m = start; m <= end; m++) sums.push(sums[sums.length - 1]! + perMinute(m));
  // Requests in the window that ends at minute j: minutes j−K+1..j.
  return { at: (j) => sums[j - start + 1]! - sums[j - start + 1 - d.windowMinutes]! };
}

/** Union bound over the sliding windows of looks from..to (memoised: steady phases repeat one n). */
function unionBound(
  window: { at: (j: number) => number },
  from: number,
  to: number,
  d: AlarmDesign,
  p0: number,
): number {
  const memo = new Map<number, number>();
  let total = 0;
  for (let j = from; j <= to; j++) {
    const n = window.at(j);
    if (!memo.has(n)) memo.set(n, windowFires(n, p0, d));
    total += memo.get(n)!;
  }
  return total;
}

/** Upper bound of P(false rollback) in one deployment at the baseline error rate. */
export function falseRollbackBound(
  t: DeploymentTraffic,
  d: AlarmDesign,
  p0: number = DETECTION_TARGETS.baselineErrorRate,
): number {
  const canary = t.expectedRpm * t.canaryFraction;
  const end = t.canaryMinutes + t.bakeMinutes;
  // The new revision's target group: nothing before, the canary share, then everything.
  const fresh = (m: number): number =>
    m <= 0 ? 0 : m <= t.canaryMinutes ? countIn(canary, m) : countIn(t.expectedRpm, m);
  // The old one: everything before, the rest during the canary, nothing after the full shift.
  const old = (m: number): number =>
    m <= 0 ? countIn(t.expectedRpm, 1 - m) : m <= t.canaryMinutes ? countIn(t.expectedRpm, m) - countIn(canary, m) : 0;
  const cumulative = Math.min(d.windowMinutes - 1, end);
  const counts = Array.from({ length: cumulative }, (_, j) => fresh(j + 1));
  const freshWindows = prefixSums(t, d, fresh);
  const exact = counts.reduce((x, y) => x + y, 0) <= DP_LIMIT;
  const freshPart = exact ? cumulativeFire(counts, p0, d) : unionBound(freshWindows, 1, cumulative, d, p0);
  return Math.min(
    1,
    freshPart + unionBound(freshWindows, cumulative + 1, end, d, p0) + unionBound(prefixSums(t, d, old), 1, end, d, p0),
  );
}

const mustCatch = (): number => (DETECTION_TARGETS.thresholdPct * DETECTION_TARGETS.catchMultiple) / 100;

/** min(allowed miss / miss, allowed false rollback / false rollback): ≥ 1 meets both targets, larger is safer. */
function score(power: number, falseRollback: number): number {
  const miss = 1 - power;
  const a = miss <= 0 ? Infinity : (1 - DETECTION_TARGETS.minPower) / miss;
  const b = falseRollback <= 0 ? Infinity : DETECTION_TARGETS.maxFalseRollback / falseRollback;
  return Math.min(a, b);
}

function evaluate(t: DeploymentTraffic, design: AlarmDesign, falseRollback = falseRollbackBound(t, design)): Detection {
  const power = rollbackProbability(t, design, mustCatch());
  const feasible = power >= DETECTION_TARGETS.minPower && falseRollback <= DETECTION_TARGETS.maxFalseRollback;
  return { design, power, falseRollback, feasible, looks: usableLooks(t), canaryRpm: t.expectedRpm * t.canaryFraction };
}

/**
 * For one threshold c: the smallest Nmin whose false-rollback bound meets the target (it falls as Nmin
 * grows, and so does the power), i.e. the earliest possible detection; the last candidate when none does.
 */
function bestForThreshold(t: DeploymentTraffic, pct: number, window: number, mins: readonly number[]): Detection {
  const design = (i: number): AlarmDesign => ({ thresholdPct: pct, windowMinutes: window, minRequests: mins[i]! });
  // Each bound the bisection computes is kept: the one it ends on is usually among them (the DP is the cost).
  const bounds = new Map<number, number>();
  const bound = (i: number): number => bounds.get(i) ?? bounds.set(i, falseRollbackBound(t, design(i))).get(i)!;
  let lo = 0;
  let hi = mins.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bound(mid) <= DETECTION_TARGETS.maxFalseRollback) hi = mid;
    else lo = mid + 1;
  }
  return evaluate(t, design(lo), bound(lo));
}

/**
 * Feasible designs: the threshold closest to θ (rates above θ stay likely to be caught), then the earliest
 * detection (smallest Nmin), then the larger margin. Infeasible ones: the most power among those whose
 * false rollbacks stay within the target (what the refusal reports).
 */
function better(a: Detection, b: Detection): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  const margin = score(a.power, a.falseRollback) - score(b.power, b.falseRollback);
  if (!a.feasible) {
    const fpOk = (d: Detection): boolean => d.falseRollback <= DETECTION_TARGETS.maxFalseRollback;
    if (fpOk(a) !== fpOk(b)) return fpOk(a);
    return a.power > b.power || (a.power === b.power && margin > 0);
  }
  const distance = (d: Detection): number => Math.abs(d.design.thresholdPct - DETECTION_TARGETS.thresholdPct);
  if (distance(a) !== distance(b)) return distance(a) < distance(b);
  return a.design.minRequests < b.design.minRequests || (a.design.minRequests === b.design.minRequests && margin > 0);
}

const cache = new Map<string, Detection>();

/** The thresholds tried: strictly between the baseline and the rate that must be caught, in 0.25-point steps. */
function thresholdGrid(): number[] {
  const grid: number[] = [];
  for (let pct = DETECTION_TARGETS.baselineErrorRate * 100 + 0.25; pct < mustCatch() * 100; pct += 0.25)
    grid.push(Math.round(pct * 100) / 100);
  return grid;
}

/** The best of `results` under `better`, the first in grid order among equals (as one pass over the grid). */
function pick(grid: readonly number[], results: ReadonlyMap<number, Detection>): Detection {
  let best: Detection | undefined;
  for (const pct of grid) {
    const r = results.get(pct);
    if (r && (!best || better(r, best))) best = r;
  }
  return best!;
}

/**
 * The design search. `better` ranks feasibility first and then the distance of the threshold from θ, so
 * thresholds are evaluated nearest θ first and the search stops after the first distance at which one is
 * feasible: every farther threshold ranks strictly below it. The result is the exhaustive search's
 * (chooseAlarmDesignExhaustive, checked against it in the tests); a scaffold pays ~3 evaluations, not ~35.
 */
function search(t: DeploymentTraffic, exhaustive: boolean): Detection {
  const looks = usableLooks(t);
  const window = Math.min(MAX_WINDOW_MINUTES, t.canaryMinutes + 1);
  const rpm = t.expectedRpm * t.canaryFraction;
  const mins = [
    ...new Set(Array.from({ length: Math.max(1, looks) }, (_, j) => Math.max(1, Math.round((j + 1) * rpm)))),
  ];
  const grid = thresholdGrid();
  const distance = (pct: number): number => Math.round(Math.abs(pct - DETECTION_TARGETS.thresholdPct) * 100);
  const byDistance = [...new Set(grid.map(distance))].sort((a, b) => a - b);
  const results = new Map<number, Detection>();
  for (const d of byDistance) {
    for (const pct of grid) if (distance(pct) === d) results.set(pct, bestForThreshold(t, pct, window, mins));
    if (!exhaustive && [...results.values()].some((r) => r.feasible)) break;
  }
  return pick(grid, results);
}

/** The alarm design for this traffic: earliest detection that meets both targets (feasible: false when none does). */
export function chooseAlarmDesign(t: DeploymentTraffic): Detection {
  const key = JSON.stringify(t);
  const hit = cache.get(key);
  if (hit) return hit;
  const best = search(t, false);
  if (cache.size > 500) cache.clear();
  cache.set(key, best);
  return best;
}

/** Every threshold evaluated (the reference the pruned search is tested against; not cached). */
export function chooseAlarmDesignExhaustive(t: DeploymentTraffic): Detection {
  return search(t, true);
}
