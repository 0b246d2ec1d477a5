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
  };
}

/** Which of the scripts the workflow may run exist (npm's default test script does not count). */
export function detectScripts(m: Manifest): { test: boolean; lint: boolean; build: boolean } {
  const has = (k: string): boolean => (m.scripts[k] ?? '').trim() !== '';
  return { test: has('test') && !NPM_DEFAULT_TEST.test(m.scripts.test!.trim()), lint: has('lint'), build: has('build') };
}

/**
 * Node major from `.nvmrc`, `.node-version` or `engines.node` (in that order: the version files
 * name what the team runs; engines is often only a lower bound). `lts/*` and aliases give undefined.
 */
export function detectNodeMajor(dir: string, enginesNode?: string): string | undefined {
  for (const f of ['.nvmrc', '.node-version']) {
    const m = /^\s*v?(\d+)(?:\.|\s|$)/.exec(readText(dir, f) ?? '');
    if (m) return String(Number(m[1]));
  }
  return enginesNode ? majorFromRange(enginesNode) : undefined;
}

/** The lowest major a semver range allows, e.g. `>=20.17` → 20, `^22 || ^24` → 22, `20.x` → 20. */
export function majorFromRange(range: string): string | undefined {
  const majors = [...range.matchAll(/(?:^|[\s|^~>=<v]|\|\|)(\d+)(?=$|[.\s|x*])/g)].map((m) => Number(m[1]));
  return majors.length ? String(Math.min(...majors)) : undefined;
}
