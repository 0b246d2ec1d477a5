/** What package.json, lock files and version files say: scripts, package manager, Node major. */
import { asRecord, readText, stringMap } from './read.js';

export { isYarnClassic } from './install.js';

/** The parts of package.json the detectors use. */
export interface Manifest {
  readonly name?: string;
  readonly type?: string;
  readonly main?: string;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly enginesNode?: string;
  /** Corepack `packageManager` field, e.g. `pnpm@9.1.0`. */
  readonly packageManager?: string;
  /** `prisma.schema`: where the Prisma schema lives when it is not prisma/schema.prisma. */
  readonly prismaSchema?: string;
  /** nodemon's settings in package.json (`nodemonConfig`), when there is no nodemon.json. */
  readonly nodemonConfig?: Record<string, unknown>;
  /** The `tsup` build options, when package.json holds them. */
  readonly tsup?: Record<string, unknown>;
  /** Subpath imports (`"imports": { "#*": "./src/*" }`): the specifier → the file (or conditions) Node loads. */
  readonly imports?: Record<string, unknown>;
}

/** npm's placeholder test script counts as "no test script". */
const NPM_DEFAULT_TEST = /^echo "Error: no test specified" && exit 1$/;

/** Parse package.json text into a Manifest; throws a readable error when it is not JSON. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // JSON.parse quotes the text it choked on, newlines included: keep the message on one line.
    throw new Error(`package.json is not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`);
  }
  const pkg = asRecord(raw) ?? {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  return {
    name: str(pkg.name),
    type: str(pkg.type),
    main: str(pkg.main),
    scripts: stringMap(pkg.scripts),
    dependencies: { ...stringMap(pkg.optionalDependencies), ...stringMap(pkg.dependencies) },
    devDependencies: stringMap(pkg.devDependencies),
    enginesNode: str(asRecord(pkg.engines)?.node),
    packageManager: str(pkg.packageManager),
    prismaSchema: str(asRecord(pkg.prisma)?.schema),
    tsup: asRecord(pkg.tsup),
    nodemonConfig: asRecord(pkg.nodemonConfig),
    imports: asRecord(pkg.imports),
  };
}

/** Which of the scripts the workflow may run exist (npm's default test script does not count). */
export function detectScripts(m: Manifest): { test: boolean; lint: boolean; build: boolean } {
  const has = (k: string): boolean => (m.scripts[k] ?? '').trim() !== '';
  return {
    test: has('test') && !NPM_DEFAULT_TEST.test(m.scripts.test!.trim()),
    lint: has('lint'),
    build: has('build'),
  };
}

/** Where the project names its Node version, and the major it names (see detectNodeMajor). */
export interface NodeVersionSource {
  readonly major: string;
  /** `.nvmrc`, `.node-version`, or `engines.node` with its range. */
  readonly from: string;
  /** The engines.node range, when that is the source (it may allow newer majors than its floor). */
  readonly range?: string;
}

/**
 * Node major from `.nvmrc`, `.node-version` or `engines.node` (in that order: the version files
 * name what the team runs; engines is often only a lower bound). `lts/*` and aliases give undefined.
 */
export function detectNodeVersion(dir: string, enginesNode?: string): NodeVersionSource | undefined {
  for (const f of ['.nvmrc', '.node-version']) {
    const m = /^\s*v?(\d+)(?:\.|\s|$)/.exec(readText(dir, f) ?? '');
    if (m) return { major: String(Number(m[1])), from: f };
  }
  const major = enginesNode ? majorFromRange(enginesNode) : undefined;
  return major ? { major, from: `engines.node "${enginesNode}"`, range: enginesNode } : undefined;
}

/** The Node major the project names (detectNodeVersion), if any. */
export function detectNodeMajor(dir: string, enginesNode?: string): string | undefined {
  return detectNodeVersion(dir, enginesNode)?.major;
}

/**
 * Whether a semver range allows Node `major` (by major: `>=16` allows 24, `^18` and `18.x` do not,
 * `<22` does not allow 22); a part it cannot read allows nothing.
 */
export function rangeAllowsMajor(range: string, major: number): boolean {
  return range.split('||').some((alternative) => {
    // A hyphen range `16 - 20` is `>=16 <=20`.
    const part = alternative.replace(/(\d[\w.*]*)\s+-\s+(\d)/, '>=$1 <=$2');
    const comparators = [...part.matchAll(/(\^|~|>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/gi)];
    if (!comparators.length) return false;
    return comparators.every(([, op, m, minor]) => {
      const n = Number(m);
      if (op === '>=') return major >= n;
      if (op === '>') return major > n || (major === n && minor !== undefined);
      if (op === '<=') return major <= n;
      if (op === '<') return major < n || (major === n && minor !== undefined && minor !== '0');
      return major === n;
    });
  });
}

/** The lowest major a semver range allows, e.g. `>=20.17` → 20, `^22 || ^24` → 22, `20.x` → 20. */
export function majorFromRange(range: string): string | undefined {
  const majors = [...range.matchAll(/(?:^|[\s|^~>=<v]|\|\|)(\d+)(?=$|[.\s|x*])/g)].map((m) => Number(m[1]));
  return majors.length ? String(Math.min(...majors)) : undefined;
}
