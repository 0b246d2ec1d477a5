/**
 * The detection model: exact binomial building blocks against known values, the cumulative DP against
 * a closed form and against an independent seeded simulation of the CloudWatch alarm (per-minute counts,
 * a sliding K-minute window, Nmin, "> c %"), monotonicity in error rate and traffic, and the design
 * choice meeting both targets wherever it says it does.
 */
import { describe, expect, it } from 'vitest';
import { binomialPmf, binomialTailAbove, logGamma } from '../src/model/binomial.js';
import {
  DETECTION_TARGETS,
  chooseAlarmDesign,
  chooseAlarmDesignExhaustive,
  falseRollbackBound,
  rollbackProbability,
  usableLooks,
  type AlarmDesign,
  type DeploymentTraffic,
} from '../src/model/detection-model.js';
import { deploymentTraffic } from '../src/model/timeline.js';
import { mulberry32 } from './support/regen-random.js';

const DEFAULTS: DeploymentTraffic = deploymentTraffic(10, 10, 10, 200);
const choose = (percent: number, w: number, b: number, rpm: number) =>
  chooseAlarmDesign(deploymentTraffic(percent, w, b, rpm));

/** Exact binomial tail by direct summation with BigInt binomial coefficients (small n only). */
function exactTail(n: number, p: number, k: number): number {
  let c = 1n;
  let total = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    if (i > k) total += Number(c) * p ** i * (1 - p) ** (n - i);
  }
  return total;
}

describe('binomial building blocks', () => {
  it('logGamma gives ln n! exactly enough', () => {
    let lnFact = 0;
    for (let n = 1; n <= 170; n++) {
      lnFact += Math.log(n);
      expect(logGamma(n + 1)).toBeCloseTo(lnFact, 8);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
  it('matches known pmf and tail values', () => {
    expect(binomialPmf(10, 0.5, 5)).toBeCloseTo(252 / 1024, 14);
    expect(binomialTailAbove(20, 0.1, 1)).toBeCloseTo(1 - 0.9 ** 20 - 20 * 0.1 * 0.9 ** 19, 14);
    expect(binomialTailAbove(4, 0.5, 3)).toBeCloseTo(1 / 16, 14);
    expect(binomialTailAbove(5, 0.3, -1)).toBe(1);
    expect(binomialTailAbove(5, 0.3, 5)).toBe(0);
    for (const [n, p, k] of [
      [100, 0.01, 4],
      [140, 0.1, 5],
      [60, 0.05, 10],
      [120, 0.1, 6],
      [200, 0.01, 8],
    ] as const) {
      expect(binomialTailAbove(n, p, k)).toBeCloseTo(exactTail(n, p, k), 12);
    }
  });
  it('keeps far upper tails instead of rounding them to 0, and is fast for large n', () => {
    const tiny = binomialTailAbove(10_000, 0.01, 400); // ln P ≈ −264
    expect(tiny).toBeGreaterThan(1e-120);
    expect(tiny).toBeLessThan(1e-110);
    expect(binomialTailAbove(10_000_000, 0.01, 300_000)).toBe(0); // below the smallest double
    expect(binomialTailAbove(10_000, 0.1, 500)).toBe(1); // its complement is below double resolution
  });
});

describe('the cumulative look process', () => {
  it('equals the single binomial tail when only the last usable look may fire', () => {
    const looks = usableLooks(DEFAULTS);
    const lastN = looks * 20;
    const design: AlarmDesign = { thresholdPct: 5, windowMinutes: 11, minRequests: lastN };
    for (const e of [0.01, 0.05, 0.1, 0.3]) {
      expect(rollbackProbability(DEFAULTS, design, e)).toBeCloseTo(
        binomialTailAbove(lastN, e, Math.floor(0.05 * lastN)),
        12,
      );
    }
  });
  it('is 0 without errors and 1 for a fully broken canary with enough requests', () => {
    const d = choose(10, 10, 10, 200).design;
    expect(rollbackProbability(DEFAULTS, d, 0)).toBe(0);
    expect(rollbackProbability(DEFAULTS, d, 1)).toBeCloseTo(1, 12);
  });
});

/** The alarm as CloudWatch runs it, on simulated minutes: window = last K minutes, fires on > c % with ≥ Nmin. */
function simulate(
  t: DeploymentTraffic,
  d: AlarmDesign,
  e: number,
  lastLook: number,
  trials: number,
  seed: number,
): number {
  const rand = mulberry32(seed);
  const rpm = t.expectedRpm * t.canaryFraction;
  let fired = 0;
  for (let trial = 0; trial < trials; trial++) {
    const req: number[] = [];
    const err: number[] = [];
    for (let m = 1; m <= lastLook; m++) {
      const n = Math.round(m * rpm) - Math.round((m - 1) * rpm);
      let x = 0;
      for (let i = 0; i < n; i++) if (rand() < e) x++;
      req.push(n);
      err.push(x);
      const from = Math.max(0, m - d.windowMinutes);
      const sumN = req.slice(from).reduce((a, b) => a + b, 0);
      const sumE = err.slice(from).reduce((a, b) => a + b, 0);
      if (sumN >= d.minRequests && (100 * sumE) / sumN > d.thresholdPct) {
        fired++;
        break;
      }
    }
  }
  return fired / trials;
}

describe('the model against a seeded simulation of the alarm', () => {
  const d = choose(10, 10, 10, 200).design;
  const trials = 20_000;
  it.each([0.05, 0.08, 0.1, 0.2])('P(rollback inside the canary) at %d errors agrees within 4 standard errors', (e) => {
    const exact = rollbackProbability(DEFAULTS, d, e);
    const sim = simulate(DEFAULTS, d, e, usableLooks(DEFAULTS), trials, 42);
    const se = Math.sqrt(Math.max(exact * (1 - exact), 1e-4) / trials);
    expect(Math.abs(sim - exact)).toBeLessThan(4 * se);
  });
  it('the false-rollback bound is not below the simulated rate of the canary target group', () => {
    const sim = simulate(DEFAULTS, d, DETECTION_TARGETS.baselineErrorRate, DEFAULTS.canaryMinutes, trials, 7);
    const se = Math.sqrt(0.01 / trials);
    expect(falseRollbackBound(DEFAULTS, d)).toBeGreaterThanOrEqual(sim - 4 * se);
  });
  it('the simulation is seeded: the same seed gives the same estimate', () => {
    expect(simulate(DEFAULTS, d, 0.1, 6, 2000, 1)).toBe(simulate(DEFAULTS, d, 0.1, 6, 2000, 1));
  });
});

describe('monotonicity', () => {
  it('rises with the canary error rate', () => {
    const d = choose(10, 10, 10, 200).design;
    const rates = [0, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.3, 0.6, 1];
    const p = rates.map((e) => rollbackProbability(DEFAULTS, d, e));
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!);
    expect(p[p.length - 1]! - p[0]!).toBeGreaterThan(0.99);
  });
  it('rises with traffic for a fixed alarm, at rates the alarm must catch', () => {
    const d = choose(10, 10, 10, 200).design;
    for (const e of [0.1, 0.2, 0.5]) {
      const p = [100, 200, 400, 800, 1600].map((rpm) => rollbackProbability(deploymentTraffic(10, 10, 10, rpm), d, e));
      for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]! - 1e-12);
    }
  });
  it('once the targets are reachable, more traffic keeps them reachable', () => {
    const rpms = [50, 100, 150, 200, 300, 500, 1000, 5000, 50_000];
    const feasible = rpms.map((rpm) => choose(10, 10, 10, rpm).feasible);
    const first = feasible.indexOf(true);
    expect(first).toBeGreaterThan(0); // 50 requests/min is not enough for a 10 % / 10-minute canary
    expect(feasible.slice(first).every(Boolean)).toBe(true);
  });
});

describe('the chosen design', () => {
  it.each([
    [10, 10, 10, 200],
    [25, 12, 10, 200],
    [10, 5, 10, 2000],
    [1, 10, 10, 100_000],
    [10, 60, 30, 50],
  ])('percent %d, W=%d, B=%d, %d rpm meets both targets', (percent, w, b, rpm) => {
    const r = choose(percent, w, b, rpm);
    expect(r.feasible).toBe(true);
    expect(r.power).toBeGreaterThanOrEqual(DETECTION_TARGETS.minPower);
    expect(r.falseRollback).toBeLessThanOrEqual(DETECTION_TARGETS.maxFalseRollback);
    expect(r.design.thresholdPct).toBeGreaterThan(DETECTION_TARGETS.baselineErrorRate * 100);
    expect(r.design.thresholdPct).toBeLessThan(DETECTION_TARGETS.thresholdPct * DETECTION_TARGETS.catchMultiple);
    expect(r.design.windowMinutes).toBe(w + 1);
  });
  it('the previous alarm (1-minute 2-of-3, 20 requests) misses what the issue measured; the new one does not', () => {
    // Today's alarm at 200 requests/min: 20 canary requests per minute, judged minute by minute.
    const p = (e: number): number => {
      let none = 1;
      const perMinute = binomialTailAbove(20, e, 1); // > 5 % of 20 requests
      // 2 of 3 consecutive minutes breaching, over the 6 usable looks: a lower bound by disjoint pairs.
      for (let i = 0; i < 3; i++) none *= 1 - perMinute * perMinute;
      return 1 - none;
    };
    expect(p(0.1)).toBeLessThan(0.99);
    expect(choose(10, 10, 10, 200).power).toBeGreaterThanOrEqual(0.99);
  });
  it('reports no design for settings without a usable look', () => {
    const r = choose(10, 3, 10, 100_000);
    expect(r.looks).toBe(0);
    expect(r.feasible).toBe(false);
    expect(r.power).toBe(0);
  });
});

describe('the pruned design search', () => {
  it('chooses exactly what the exhaustive search over every threshold chooses, feasible or not', () => {
    const rnd = mulberry32(20_261_201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const settings: [number, number, number, number][] = [
      [10, 10, 10, 200],
      [10, 5, 5, 2000],
      [2.5, 6, 5, 20000],
      [1, 5, 0, 20],
      [50, 300, 0, 5],
    ];
    for (let i = 0; i < 40; i++)
      settings.push([
        pick([0.5, 1, 2.5, 5, 10, 20, 25, 50, 100]),
        pick([5, 6, 8, 10, 12, 20, 30, 60]),
        pick([0, 5, 10, 30]),
        pick([5, 20, 60, 200, 1000, 5000, 20000]),
      ]);
    let feasible = 0;
    for (const [p, w, b, rpm] of settings) {
      const t = deploymentTraffic(p, w, b, rpm);
      const fast = chooseAlarmDesign(t);
      expect(fast, JSON.stringify([p, w, b, rpm])).toEqual(chooseAlarmDesignExhaustive(t));
      if (fast.feasible) feasible++;
    }
    // Both branches are exercised: early exit (feasible) and the full search (infeasible).
    expect(feasible).toBeGreaterThan(0);
    expect(feasible).toBeLessThan(settings.length);
  });
});
