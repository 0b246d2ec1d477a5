/**
 * Terraform version constraints (`>= 6.21.0, < 7.0.0`, `~> 6.2`, `= 1.2.3`, `!= 6.0.0`): does a
 * constraint admit a version? Used to prove the generated provider constraint admits the version
 * the committed schema extract describes. Pre-release suffixes are not supported (not used here).
 */

type Version = readonly [number, number, number];

function parseVersion(v: string): { parts: Version; given: number } {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(v);
  if (!m) throw new Error(`not a version: "${v}"`);
  return {
    parts: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
    given: [m[1], m[2], m[3]].filter((x) => x !== undefined).length,
  };
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `~> 6.2` allows ≥ 6.2.0 and < 7.0.0; `~> 6.2.1` allows ≥ 6.2.1 and < 6.3.0 (the rightmost part may grow). */
function pessimistic(v: Version, given: number, x: Version): boolean {
  if (compare(x, v) < 0) return false;
  return given <= 2 ? x[0] === v[0] : x[0] === v[0] && x[1] === v[1];
}

function admitsOne(clause: string, x: Version): boolean {
  const m = /^\s*(>=|<=|!=|~>|=|>|<)?\s*(\S+)\s*$/.exec(clause);
  if (!m) throw new Error(`not a version constraint: "${clause}"`);
  const { parts: v, given } = parseVersion(m[2] ?? '');
  const c = compare(x, v);
  switch (m[1] ?? '=') {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '!=':
      return c !== 0;
    case '~>':
      return pessimistic(v, given, x);
    default:
      return c === 0;
  }
}

/** Whether every comma-separated clause of `constraint` admits `version`. */
export function admits(constraint: string, version: string): boolean {
  const x = parseVersion(version).parts;
  return constraint.split(',').every((clause) => admitsOne(clause, x));
}
