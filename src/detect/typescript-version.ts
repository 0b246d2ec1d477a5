/**
 * Which TypeScript the app's build compiles with, as far as the files tell: the installed one, else
 * the one its lockfile pins, else the newest its declared range allows (what a fresh install picks).
 * The added health module is written for it: TypeScript before 3.0 has no `unknown` type.
 */
import { asRecord, parseJsonc, readText } from './read.js';

/** A TypeScript version as far as it matters here. */
export interface TsVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * The oldest TypeScript adopt mode supports: 2.3 added `strict` and generic defaults, which the
 * @types/express and @types/node of its time need. Proven by compiling the patched ts2-pg-npm corpus
 * app (strict, @types/node 8.0, @types/express 4.0.36 of mid-2017) with tsc 2.3.4, 2.4.2, 2.5.3, 2.6.2,
 * 2.7.2, 2.8.4 and 2.9.2, and the ts3-pg-npm one (@types of 2018) with the same; tsc 2.2.2 rejects the
 * module's inferred Promise.all types, and tsc 3.0.3 the stand-in (written only before 3.0).
 */
export const MIN_TYPESCRIPT: TsVersion = { major: 2, minor: 3 };

/** `unknown` is a type from TypeScript 3.0 on; before it the added module declares a stand-in. */
export function lacksUnknownType(v: TsVersion | undefined): boolean {
  return v !== undefined && v.major < 3;
}

/** Whether `v` is older than MIN_TYPESCRIPT. */
export function olderThanSupported(v: TsVersion): boolean {
  return v.major < MIN_TYPESCRIPT.major || (v.major === MIN_TYPESCRIPT.major && v.minor < MIN_TYPESCRIPT.minor);
}

const parse = (text: string | undefined): TsVersion | undefined => {
  const m = /^(\d+)\.(\d+)/.exec(text ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
};

/** The version a lockfile pins for the root's typescript (package-lock/shrinkwrap, yarn.lock, pnpm-lock.yaml). */
function lockedVersion(dir: string): TsVersion | undefined {
  for (const file of ['package-lock.json', 'npm-shrinkwrap.json']) {
    const lock = asRecord(parseJsonc(readText(dir, file) ?? ''));
    const pkg =
      asRecord(asRecord(lock?.packages)?.['node_modules/typescript']) ??
      asRecord(asRecord(lock?.dependencies)?.typescript);
    if (pkg && typeof pkg.version === 'string') return parse(pkg.version);
  }
  const yarn = /^"?typescript@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:? "?(\d+\.\d+)/m.exec(
    readText(dir, 'yarn.lock') ?? '',
  );
  if (yarn) return parse(yarn[1]);
  const pnpm =
    /^\s+typescript:\s*\n\s+specifier:[^\n]*\n\s+version:\s*'?(\d+\.\d+)|^\s+typescript:\s*'?(\d+\.\d+)/m.exec(
      readText(dir, 'pnpm-lock.yaml') ?? '',
    );
  return pnpm ? parse(pnpm[1] ?? pnpm[2]) : undefined;
}

/**
 * The newest version a declared range allows (what a fresh install picks), when the range caps it:
 * `2.9.2`, `~2.3.0`, `^2.4.0` and `2.x` (any 2.x: the last, counted as minor 99), `<3`, `<=2.8`. An open
 * range (`>=2.5`, `*`, `latest`) installs the newest TypeScript: undefined, i.e. a current one.
 */
function rangeVersion(declared: string): TsVersion | undefined {
  const r = declared.trim();
  const capped = /<(=?)\s*v?(\d+)(?:\.(\d+))?/.exec(r);
  if (capped) {
    const [major, minor] = [Number(capped[2]), capped[3] === undefined ? undefined : Number(capped[3])];
    if (capped[1]) return { major, minor: minor ?? LAST_MINOR };
    return minor ? { major, minor: minor - 1 } : { major: major - 1, minor: LAST_MINOR };
  }
  if (/^(>|\*|x|latest|next|$)/i.test(r) || r.includes('||')) return undefined;
  const m = /^(\^|~|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?/i.exec(r);
  if (!m) return undefined;
  const anyMinor = m[1] === '^' || m[3] === undefined || /[x*]/i.test(m[3]);
  return { major: Number(m[2]), minor: anyMinor ? LAST_MINOR : Number(m[3]) };
}

/** Stands for "the last minor of that major" in a range that allows any. */
const LAST_MINOR = 99;

/** `2.3`, or `2.x` for a range that allows any minor. */
export function formatTsVersion(v: TsVersion): string {
  return `${v.major}.${v.minor === LAST_MINOR ? 'x' : v.minor}`;
}

/** The TypeScript the app's build uses (see the module comment), or undefined when nothing says. */
export function typescriptVersion(dir: string, declared: string | undefined): TsVersion | undefined {
  const installed = parse(
    /"version"\s*:\s*"([^"]+)"/.exec(readText(dir, 'node_modules/typescript/package.json') ?? '')?.[1],
  );
  return installed ?? lockedVersion(dir) ?? (declared === undefined ? undefined : rangeVersion(declared));
}
