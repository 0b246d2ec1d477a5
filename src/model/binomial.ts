/**
 * Exact binomial probabilities for the detection model (detection-model.ts), computed in log space so
 * that large request counts neither overflow nor lose the tails that matter (1e-6 and below).
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits, enough for ln n!. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  LANCZOS.forEach((c, i) => {
    a += c / (z + i + 1);
  });
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X = k) for X ~ Binomial(n, p). */
export function logBinomialPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(n: number, p: number, k: number): number {
  return Math.exp(logBinomialPmf(n, p, k));
}

/** Terms more than this far (in ln) below the largest one are dropped: e^-41.4 ≈ 1e-18. */
const NEGLIGIBLE_LN = 41.4;
/** ln of the smallest positive double: a tail whose first term is below it is 0. */
const LN_MIN = -745;

/**
 * ln(pmf(k + step) / pmf(k)): the ratio recurrence, so a tail sum needs a single logGamma evaluation.
 * `lp` = ln p and `lq` = ln(1 − p), computed once per sum by the callers (the same operations in the
 * same order as evaluating them here, so the same doubles).
 */
const logRatio = (n: number, lp: number, lq: number, k: number, step: 1 | -1): number =>
  step === 1 ? Math.log((n - k) / (k + 1)) + lp - lq : Math.log(k / (n - k + 1)) - lp + lq;

/** Sum pmf terms from `from` stepping by `step`, moving away from the mode, until they become negligible. */
function sumAwayFromMode(n: number, p: number, from: number, step: 1 | -1): number {
  const first = logBinomialPmf(n, p, from);
  if (first < LN_MIN) return 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const floor = first - NEGLIGIBLE_LN;
  let total = 0;
  let ln = first;
  // logRatio written out, one loop per direction: a scaffold runs this mostly in V8's interpreter,
  // where a call per term costs more than the term.
  if (step === 1) {
    for (let k = from; k <= n && ln >= floor; k++) {
      total += Math.exp(ln);
      ln += Math.log((n - k) / (k + 1)) + lp - lq;
    }
  } else {
    for (let k = from; k >= 0 && ln >= floor; k--) {
      total += Math.exp(ln);
      ln += Math.log(k / (n - k + 1)) - lp + lq;
    }
  }
  return total;
}

/** P(X > k) for X ~ Binomial(n, p), summed on the side of k away from the mode (never 1 − tiny). */
export function binomialTailAbove(n: number, p: number, k: number): number {
  if (k < 0) return 1;
  if (k >= n) return 0;
  return k + 1 > n * p ? Math.min(1, sumAwayFromMode(n, p, k + 1, 1)) : Math.max(0, 1 - sumAwayFromMode(n, p, k, -1));
}

/** The pmf of Binomial(n, p) over [lo, lo + values.length), truncated where the mass is negligible. */
export interface TruncatedPmf {
  readonly lo: number;
  readonly values: readonly number[];
}

const pmfCache = new Map<string, TruncatedPmf>();

/** Binomial(n, p) as an array, cut to the terms that are not negligible (memoised: the model asks for few (n, p)). */
export function binomialPmfArray(n: number, p: number): TruncatedPmf {
  if (n === 0 || p <= 0) return { lo: 0, values: [1] };
  if (p >= 1) return { lo: n, values: [1] };
  const key = `${n}:${p}`;
  const hit = pmfCache.get(key);
  if (hit) return hit;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const peak = logBinomialPmf(n, p, mode);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const up: number[] = [];
  for (let k = mode, ln = peak; k <= n && ln >= peak - NEGLIGIBLE_LN; ln += logRatio(n, lp, lq, k, 1), k++)
    up.push(Math.exp(ln));
  const down: number[] = [];
  for (let k = mode, ln = peak; k > 0; k--) {
    ln += logRatio(n, lp, lq, k, -1);
    if (ln < peak - NEGLIGIBLE_LN) break;
    down.push(Math.exp(ln));
  }
  const pmf = { lo: mode - down.length, values: [...down.reverse(), ...up] };
  if (pmfCache.size > 50_000) pmfCache.clear();
  pmfCache.set(key, pmf);
  return pmf;
}
