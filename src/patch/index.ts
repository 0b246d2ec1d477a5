/**
 * The patches of an adopted service, one function each: a PatchSpec (src/plan/file-spec.ts) holds the
 * one to run against the file's current text. Patches are idempotent (a patched file comes back
 * unchanged) and never guess: when the anchor is not found they change nothing and return
 * `skipReason` with exact manual instructions.
 */
import type { RenderContext } from '../context/build-context.js';
import type { AdoptFacts } from '../detect/facts.js';
import { patchAppModule, patchClientFile, patchEntry } from './app-patch.js';
import { enabledSites, type NamedSite } from './readiness.js';
import { manualInstructions } from '../detect/instructions.js';
import { addScripts } from './package-json.js';

export { enabledSites, type NamedSite } from './readiness.js';

/** The patched text (plus notes for the user), or why nothing was changed. */
export type PatchResult =
  | { readonly text: string; readonly notes?: readonly string[] }
  | { readonly skipReason: string };

/**
 * Scripts an adopted package.json must gain: `build: tsc` when TypeScript has no build script (the
 * image runs compiled output), `migrate` when the generator adds the SQL migration runner.
 */
export function scriptsToAdd(ctx: RenderContext, facts: AdoptFacts): Record<string, string> {
  const out: Record<string, string> = {};
  if (facts.typescript && !facts.scripts.build) out.build = 'tsc';
  if (ctx.hasDatabase && facts.migrateEntry && facts.migrateCommand) out.migrate = facts.migrateCommand.join(' ');
  return out;
}

/** One patch: the file's text (undefined: the file is missing) in, the patched text or why not out. */
export type Patch = (existing: string | undefined, path: string, ctx: RenderContext, facts: AdoptFacts) => PatchResult;

/** The readiness sites of `path` among the enabled ones. */
const sitesIn = (path: string, ctx: RenderContext, facts: AdoptFacts): NamedSite[] =>
  enabledSites(ctx, facts).filter((s) => s.file === path);

export const PATCH = {
  /** Mount the health router in the app module (and drain the server when it starts there). */
  app: ((existing, path, ctx, facts) => {
    if (existing === undefined || !facts.appModule)
      return { skipReason: manualInstructions(facts, facts.appUnrecognised ?? `${path} is missing`) };
    return patchAppModule(existing, path, facts, sitesIn(path, ctx, facts));
  }) satisfies Patch,
  /** Hand the server to drainOnSigterm() in a separate entry file (e.g. bin/www, src/server.ts). */
  entry: ((existing, path, ctx, facts) => {
    if (existing === undefined)
      return { skipReason: `${path} is missing; keep-alive and SIGTERM draining were not added.` };
    return patchEntry(existing, path, facts, sitesIn(path, ctx, facts));
  }) satisfies Patch,
  /** Register readiness checks where the app's clients are declared (a file that is neither of the above). */
  readiness: ((existing, path, ctx, facts) => {
    if (existing === undefined) return { skipReason: `${path} is missing; its readiness check was not registered.` };
    return patchClientFile(existing, path, facts, sitesIn(path, ctx, facts));
  }) satisfies Patch,
  /** Add the scripts the pipeline needs to package.json. */
  packageJson: ((existing, _path, ctx, facts) => {
    if (existing === undefined) return { skipReason: 'package.json is missing.' };
    try {
      return { text: addScripts(existing, scriptsToAdd(ctx, facts)) };
    } catch (e) {
      return {
        skipReason: `${(e as Error).message}; add these scripts by hand: ${JSON.stringify(scriptsToAdd(ctx, facts))}`,
      };
    }
  }) satisfies Patch,
} as const;
