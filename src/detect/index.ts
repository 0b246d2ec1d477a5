/**
 * detectProject: what is already in the target folder. Reads files only (plus one short
 * `git remote get-url origin`); never installs, runs or fetches anything.
 */
import { basename, posix, resolve } from 'node:path';
import { addedCodeLayout, newRepoFacts, type AddedCodeLayout, type AdoptFacts, type ProjectFacts } from './facts.js';
import type { DefaultFacts } from '../options/spec.js';
import { UserError } from '../errors.js';
import { parseSource, usesEsmSyntax } from './ast.js';
import { detectCacheClient, detectDatabaseClient, detectMigrationTool } from './clients.js';
import { detectEntry, type EntryFacts } from './entry.js';
import { detectBuildOutput, type BuildOutput } from './build-output.js';
import { detectDatabaseEngine } from './engine.js';
import { envFileWarnings } from './env-files.js';
import { sourceGraph, subpathImportAliases } from './graph.js';
import { detectReadiness, type ReadinessSite } from './readiness.js';
import { drainStatus } from './server-site.js';
import { readGithubRepo } from './git.js';
import { detectNodeVersion, detectScripts, parseManifest, type Manifest } from './manifest.js';
import { detectInstall } from './install.js';
import { readText } from './read.js';
import { detectPort, portWarning, type PortFacts } from './port.js';
import { detectListenHost, listenHostWarning } from './listen-host.js';
import { startCommand } from './start-command.js';
import {
  buildTsConfigFile,
  compiledPath,
  readTsConfig,
  sourceRoot,
  tsEmitsCommonJs,
  type TsConfigFacts,
} from './typescript.js';
import {
  formatTsVersion,
  lacksUnknownType,
  MIN_TYPESCRIPT,
  olderThanSupported,
  typescriptVersion,
  type TsVersion,
} from './typescript-version.js';

export { describeFacts } from './describe.js';
export { githubRepoFromUrl } from './git.js';

/** A user error: the folder holds a Node project this tool cannot adopt. Printed without a stack. */
export class UnsupportedProjectError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedProjectError';
  }
}

/** Test seams: detection reads the origin remote through this unless told otherwise. */
export interface DetectOptions {
  readonly readGithubRepo?: (dir: string) => string | undefined;
}

/** Detect the project in `dir`: `new` without package.json, `adopt` for an Express service. */
export function detectProject(dir: string, options: DetectOptions = {}): ProjectFacts {
  const folderName = basename(resolve(dir));
  const githubRepo = (options.readGithubRepo ?? readGithubRepo)(dir);
  const text = readText(dir, 'package.json');
  if (text === undefined) return newRepoFacts(folderName, githubRepo);
  let m: Manifest;
  try {
    m = parseManifest(text);
  } catch (e) {
    throw new UnsupportedProjectError(
      `${(e as Error).message}. Fix package.json, or run the generator in an empty folder to create a new service.`,
    );
  }
  if (!('express' in m.dependencies)) {
    const where = 'express' in m.devDependencies ? ' (it is only a devDependency)' : '';
    throw new UnsupportedProjectError(
      `package.json does not list express in "dependencies"${where}. create-canary-pipeline adds the pipeline to Express services only; ` +
        'run it in an empty folder to create a new Express service instead.',
    );
  }
  return withServerFile(dir, adoptFacts(dir, m, folderName, githubRepo));
}

/** Where the app's code is and runs: TS mapping, the folder and extension of added files. */
interface CodeLayout {
  readonly found: EntryFacts;
  readonly typescript: boolean;
  readonly tsc: TsConfigFacts;
  readonly build: BuildOutput;
  readonly runtimePath: (source: string) => string;
  readonly moduleSystem: 'esm' | 'cjs';
  readonly layout: AddedCodeLayout;
}

function codeLayout(dir: string, m: Manifest): CodeLayout {
  const ts = readTsConfig(dir, buildTsConfigFile(dir, m.scripts.build)) ?? readTsConfig(dir);
  const tsc: TsConfigFacts = ts ?? { esModuleInterop: false, includeRoots: [] };
  const tsRoot = ts ? sourceRoot(ts, [], dir) : '.';
  const build = detectBuildOutput(dir, m, ts, tsRoot);
  const found = detectEntry(dir, m, ts, tsRoot, build);
  const typescript = ts !== undefined || /\.[cm]?ts$/.test(found.appModule ?? found.entry ?? '');
  const root = ts
    ? tsRoot
    : sourceRoot(
        tsc,
        [found.entry, found.appModule].filter((f): f is string => f !== undefined),
      );
  const runtimePath = (source: string): string =>
    typescript ? (build.toRuntime(source) ?? compiledPath(source, tsc, root)) : source;
  const ext = extOf(found, typescript);
  const addedDir = addedFilesDir(found, typescript);
  const moduleSystem = build.format ?? moduleSystemOf(dir, found, m, typescript ? tsc : undefined);
  const layout = addedCodeLayout(addedDir, ext, posix.dirname(runtimePath(`${addedDir}/x.${ext}`)), moduleSystem);
  return { found, typescript, tsc, build, runtimePath, moduleSystem, layout };
}

/**
 * Where the server starts (the drain patch's target): the entry, else the app module (e.g. behind
 * `if (require.main === module)`); when neither can be patched, a warning saying why.
 */
function withServerFile(dir: string, facts: AdoptFacts): AdoptFacts {
  if (!facts.appModule) return facts;
  const status = (file: string): ReturnType<typeof drainStatus> => drainStatus(readText(dir, file) ?? '', file, facts);
  const files = facts.entry && facts.entry !== facts.appModule ? [facts.entry, facts.appModule] : [facts.appModule];
  const results = files.map(status);
  const ok = results.findIndex((r) => 'status' in r);
  if (ok >= 0) return { ...facts, serverFile: files[ok] };
  const first = results[0] as { note: string };
  return { ...facts, warnings: [...(facts.warnings ?? []), first.note] };
}

function adoptFacts(dir: string, m: Manifest, folderName: string, githubRepo: string | undefined): AdoptFacts {
  const { found, typescript, tsc, build, runtimePath, moduleSystem, layout } = codeLayout(dir, m);
  const tsVersion = typescript ? supportedTypescript(dir, m) : undefined;
  const databaseClient = detectDatabaseClient(m);
  const databaseEngine = detectDatabaseEngine(dir, m, databaseClient, m.prismaSchema);
  const aliases = [...(tsc.aliases ?? []), ...subpathImportAliases(m.imports)];
  const graph = sourceGraph(
    dir,
    [found.entry, found.appModule].filter((f): f is string => f !== undefined),
    { aliases },
  );
  const readiness = detectReadiness(graph, m, databaseEngine, tsc.noImplicitAny === true, { dir, paths: { aliases } });
  const port = detectPort(dir, graph);
  const listenHost = detectListenHost(dir, graph);
  const migration = detectMigrationTool({ dir, manifest: m, runtimePath, typescript });
  const migrateEntry = !migration && databaseClient === 'pg';
  const start = startCommand(found, runtimePath);
  const scripts = detectScripts(m);
  const install = detectInstall(dir, m);
  return {
    mode: 'adopt',
    folderName,
    packageName: m.name,
    githubRepo,
    packageManager: install.packageManager,
    yarnClassic: install.yarnClassic,
    lockfile: install.lockfile,
    installFiles: install.installFiles,
    installDirs: install.installDirs,
    devOnlyScripts: install.devOnlyScripts,
    scripts,
    typescript,
    typescriptNoUnknown: lacksUnknownType(tsVersion) || undefined,
    moduleSystem,
    ...nodeFacts(dir, m.enginesNode),
    databaseClient,
    databaseEngine,
    cacheClient: detectCacheClient(m),
    migrationTool: migration?.tool,
    listenPort: port.literal !== undefined && port.literal >= 1024 && port.literal <= 65535 ? port.literal : undefined,
    readinessSites: readiness.sites,
    unwiredClients: readiness.unwired,
    entry: found.entry,
    startCommand: start.command,
    startEnv: start.env,
    listenHost,
    appModule: found.appModule,
    appFactory: found.appFactory,
    appName: found.appName,
    pathAliases: aliases.length ? aliases : undefined,
    appChoice: found.appChoice,
    appUnrecognised: found.unrecognised,
    layout,
    tsOutDir: typescript ? (build.outDir ?? tsc.outDir) : undefined,
    migrateCommand:
      migration?.command ??
      (migrateEntry ? ['node', posix.join(layout.dir, `migrate.${layout.scriptExt}`)] : undefined),
    migrateEntry,
    warnings: [
      ...install.warnings,
      ...start.warnings,
      ...(migration?.warnings ?? []),
      ...usageWarnings(found, port, databaseClient, migration === undefined),
      ...[listenHostWarning(listenHost)].filter((w): w is string => w !== undefined),
      ...poolErrorWarnings(dir, readiness.sites),
      ...(databaseClient && !databaseEngine
        ? [
            `could not tell which database server ${databaseClient} connects to: the tasks may reach PostgreSQL's port 5432 only; change the egress rule in terraform/network.tf if yours differs.`,
          ]
        : []),
      ...buildWarnings(typescript, tsc, build, scripts.build),
      ...envFileWarnings(dir),
    ],
  };
}

/** The TypeScript the build uses; one older than MIN_TYPESCRIPT is refused (the added module would break the build). */
function supportedTypescript(dir: string, m: Manifest): TsVersion | undefined {
  const declared = m.devDependencies.typescript ?? m.dependencies.typescript;
  const v = typescriptVersion(dir, declared);
  if (!v || !olderThanSupported(v)) return v;
  const min = formatTsVersion(MIN_TYPESCRIPT);
  throw new UnsupportedProjectError(
    `this service builds with TypeScript ${formatTsVersion(v)} (package.json: "typescript": "${declared ?? 'installed'}"); the module adopt mode adds needs ` +
      `TypeScript ${min} or newer, and would break your build. Nothing was written. Upgrade TypeScript (npm install -D typescript@~${min}.0, or newer), then run the generator again.`,
  );
}

/** The Node major the project names and where (the summary says why the image uses the version it does). */
function nodeFacts(
  dir: string,
  enginesNode: string | undefined,
): Pick<AdoptFacts, 'nodeMajor' | 'nodeFrom' | 'nodeRange'> {
  const v = detectNodeVersion(dir, enginesNode);
  return v ? { nodeMajor: v.major, nodeFrom: v.from, ...(v.range ? { nodeRange: v.range } : {}) } : {};
}

/** Added files go next to the app module; without one, next to the entry (not in bin/), else src/ or the root. */
function addedFilesDir(found: EntryFacts, typescript: boolean): string {
  if (found.appModule) return posix.dirname(found.appModule);
  const entryDir = found.entry ? posix.dirname(found.entry) : undefined;
  if (entryDir && entryDir !== 'bin') return entryDir;
  return typescript ? 'src' : '.';
}

/** Extension for added files: the app module's (or entry's) own, TS variants collapsed to `ts`. */
function extOf(found: EntryFacts, typescript: boolean): 'js' | 'mjs' | 'cjs' | 'ts' {
  const m = /\.([cm]?[jt]s)$/.exec(found.appModule ?? found.entry ?? '');
  if (typescript || m?.[1]?.endsWith('ts')) return 'ts';
  return m?.[1] === 'mjs' || m?.[1] === 'cjs' ? m[1] : 'js';
}

/** Runtime module system: tsc's emit for TS; for JS the extension, then the file's syntax, then `type`. */
function moduleSystemOf(dir: string, found: EntryFacts, m: Manifest, ts: TsConfigFacts | undefined): 'esm' | 'cjs' {
  if (ts) return tsEmitsCommonJs(ts, m.type) ? 'cjs' : 'esm';
  const file = found.appModule ?? found.entry;
  if (file?.endsWith('.mjs')) return 'esm';
  if (file?.endsWith('.cjs')) return 'cjs';
  const ast = file ? parseSource(readText(dir, file) ?? '', file) : undefined;
  if (ast) return usesEsmSyntax(ast) ? 'esm' : 'cjs';
  return m.type === 'module' ? 'esm' : 'cjs';
}

/** Warnings about how the service runs that the pipeline depends on. */
function usageWarnings(
  found: EntryFacts,
  port: PortFacts,
  databaseClient: string | undefined,
  noMigrationTool: boolean,
): string[] {
  const files = [...new Set([found.entry, found.appModule].filter((f): f is string => f !== undefined))];
  const out = [portWarning(port, files)].filter((w): w is string => w !== undefined);
  if (databaseClient && databaseClient !== 'pg' && noMigrationTool) {
    out.push(
      `no migration tool detected for ${databaseClient}: the pipeline runs no migration task; add one (prisma, knex, sequelize-cli, node-pg-migrate, typeorm) and re-run the generator.`,
    );
  }
  return out;
}

/** A pg pool without an 'error' listener crashes the process when an idle connection breaks (pg's documented behaviour). */
function poolErrorWarnings(dir: string, sites: readonly ReadinessSite[]): string[] {
  return sites
    .filter(
      (s) =>
        s.client === 'pg' &&
        !new RegExp(`\\b${s.binding.replace(/[.()]/g, '\\$&')}\\.on\\(\\s*['"]error['"]`).test(
          readText(dir, s.file) ?? '',
        ),
    )
    .map(
      (s) =>
        `${s.file}:${s.line}: the pg pool \`${s.binding}\` has no 'error' listener, so the process crashes when the database drops an idle connection (a restart or failover); add ${s.binding}.on('error', …).`,
    );
}

/** Build layouts the image build cannot handle as generated. */
function buildWarnings(typescript: boolean, ts: TsConfigFacts, build: BuildOutput, hasBuild: boolean): string[] {
  if (typescript && build.tool === 'tsc' && !ts.outDir)
    return [
      'tsconfig.json sets no "outDir": the image build copies compiled output from its own folder; add "outDir": "dist".',
    ];
  if (!typescript && hasBuild && build.tool === 'none')
    return [
      'scripts.build exists: the image runs it and copies the whole build stage; check that the start command runs what it writes.',
    ];
  return [];
}

/** The facts the option table defaults from. */
export function toDefaultFacts(f: ProjectFacts): DefaultFacts {
  const adopt = f.mode === 'adopt';
  return {
    packageName: f.packageName,
    folderName: f.folderName,
    githubRepo: f.githubRepo,
    hasDatabaseClient: adopt ? f.databaseClient !== undefined : undefined,
    hasCacheClient: adopt ? f.cacheClient !== undefined : undefined,
    nodeMajor: f.nodeMajor,
    typescript: adopt ? f.typescript === true : undefined,
    listenPort: adopt ? f.listenPort : undefined,
    adopting: adopt,
  };
}
