/** Human-readable summary of detected facts, shown before anything is generated. */
import type { ProjectFacts } from './facts.js';
import { manualInstructions } from './instructions.js';
import { rangeAllowsMajor } from './manifest.js';
import { defaultNodeLine } from '../options/rules.js';

/** A Node line chosen for the image by the user: the value, and where it was given (`--node-version`, the saved answers). */
export interface ChosenNode {
  readonly version: string;
  readonly from: string;
}

const MODULES = { esm: 'ES modules', cjs: 'CommonJS' } as const;

function appLine(f: ProjectFacts): string {
  const lang = f.typescript
    ? `TypeScript, ${MODULES[f.moduleSystem ?? 'cjs']} output`
    : MODULES[f.moduleSystem ?? 'cjs'];
  if (!f.appModule)
    return `Detected: Express service (${lang}); app code not recognised: ${f.appUnrecognised ?? 'unknown layout'}. It will not be changed.`;
  const factory = f.appFactory ? `, created in ${f.appFactory}()` : '';
  const entry = f.entry && f.entry !== f.appModule ? `, started by ${f.entry}` : '';
  const choice = f.appChoice ? ` — chosen as ${f.appChoice}` : '';
  return `Detected: Express app in ${f.appModule} (${lang}${factory})${entry}${choice}`;
}

/**
 * The Node line the image uses and why: the user's choice, else the project's major when it is a maintained
 * LTS line, else 24 — and whether the project's own version file or range allows that (the floor of
 * `engines.node: ">=16"` is not the version anything runs).
 */
export function nodeLine(f: ProjectFacts, chosen?: ChosenNode): string {
  const image = chosen?.version ?? defaultNodeLine(f.nodeMajor);
  if (chosen) return `Node ${image} in the image (${chosen.from})`;
  if (!f.nodeMajor || !f.nodeFrom)
    return `Node ${image} in the image (the default: no .nvmrc, .node-version or engines.node)`;
  if (f.nodeMajor === image) return `Node ${image} in the image (${f.nodeFrom})`;
  if (f.nodeRange && rangeAllowsMajor(f.nodeRange, Number(image)))
    return `Node ${image} in the image (${f.nodeFrom} allows it; its floor, ${f.nodeMajor}, is not a maintained LTS line)`;
  return `Node ${image} in the image, though ${f.nodeFrom} asks for Node ${f.nodeMajor}, not a maintained LTS line: check that the service runs on ${image}, or pass --node-version`;
}

function toolingLine(f: ProjectFacts, chosen?: ChosenNode): string {
  const scripts = (['test', 'lint', 'build'] as const).filter((k) => f.scripts[k]);
  const node = `, ${nodeLine(f, chosen)}`;
  const start = f.startCommand ? `; container command: ${f.startCommand.join(' ')}` : '';
  return `Package manager: ${f.packageManager}${node}; scripts the workflow runs: ${scripts.length ? scripts.join(', ') : 'none'}${start}`;
}

function dataLine(f: ProjectFacts): string {
  const db = f.databaseClient ? `database client: ${f.databaseClient}` : 'database client: none';
  const migrations = f.migrationTool
    ? `; migrations: ${f.migrationTool} (${f.migrateCommand?.join(' ')})`
    : f.migrateEntry
      ? `; migrations: none found, a plain-SQL runner (${f.migrateCommand?.join(' ')}) will apply migrations/*.sql`
      : '';
  return `${db[0]!.toUpperCase()}${db.slice(1)}${migrations}; cache client: ${f.cacheClient ?? 'none'}`;
}

/** Where /readyz will probe the app's own clients, and which ones it cannot. */
function readinessLines(f: ProjectFacts): string[] {
  const sites = (f.readinessSites ?? []).map((s) => `${s.role}: ${s.binding} (${s.client}) in ${s.file}:${s.line}`);
  const unwired = (f.unwiredClients ?? []).map((u) => `${u.client} in ${u.file}:${u.line} is not checked: ${u.why}`);
  const lines = sites.length ? [`Readiness checks on your own clients: ${sites.join('; ')}`] : [];
  return [...lines, ...unwired.map((u) => `Readiness: ${u}`)];
}

/** Lines describing what was detected (adopt) or that a new service will be created. */
export function describeFacts(f: ProjectFacts, chosen?: ChosenNode): string[] {
  if (f.mode === 'new') return ['No package.json here: a new Express service will be created.'];
  // Without an entry there is no file to report a skipped patch on: the instructions go here.
  const manual = !f.appModule && !f.entry ? manualInstructions(f, 'No app entry found').split('\n') : [];
  const host = f.listenHost?.envVar
    ? [
        `Bind address: ${f.listenHost.file} listens on process.env.${f.listenHost.envVar}, ${f.listenHost.loopback} by default, which the load balancer cannot reach: the image sets ${f.listenHost.envVar}=0.0.0.0`,
      ]
    : [];
  return [
    appLine(f),
    toolingLine(f, chosen),
    dataLine(f),
    ...host,
    ...readinessLines(f),
    ...(f.warnings ?? []).map((w) => `Warning: ${w}`),
    ...manual,
  ];
}
