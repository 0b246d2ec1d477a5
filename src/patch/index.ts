/**
 * applyPatch: run the patch a FileSpec names against the file's current text. Patches are
 * idempotent (a patched file comes back unchanged) and never guess: when the anchor is not found
 * they change nothing and return `skipReason` with exact manual instructions.
 */
import type { RenderContext } from '../context/build-context.js';
import type { ProjectFacts } from '../detect/facts.js';
import type { FileSpec } from '../plan/file-spec.js';
import { patchAppModule, patchClientFile, patchEntry } from './app-patch.js';
import { enabledSites } from './readiness.js';
import { manualInstructions } from './instructions.js';
import { addScripts } from './package-json.js';

export { healthModulePath, HEALTH_MODULE } from './health-import.js';
export { enabledSites, type NamedSite } from './readiness.js';
export { manualInstructions } from './instructions.js';

/** Patch ids (FileSpec.patch). */
export const PATCH = {
  /** Mount the health router in the app module (and drain the server when it starts there). */
  app: 'adopt-app',
  /** Hand the server to drainOnSigterm() in a separate entry file (e.g. bin/www, src/server.ts). */
  entry: 'adopt-entry',
  /** Register readiness checks where the app's clients are declared (a file that is neither of the above). */
  readiness: 'adopt-readiness',
  /** Add the scripts the pipeline needs to package.json. */
  packageJson: 'adopt-package-json',
} as const;

/** The patched text (plus notes for the user), or why nothing was changed. */
export type PatchResult = { readonly text: string; readonly notes?: readonly string[] } | { readonly skipReason: string };

/**
 * Scripts an adopted package.json must gain: `build: tsc` when TypeScript has no build script (the
 * image runs compiled output), `migrate` when the generator adds the SQL migration runner.
 */
export function scriptsToAdd(ctx: RenderContext, facts: ProjectFacts): Record<string, string> {
  const out: Record<string, string> = {};
  if (facts.typescript && !facts.scripts.build) out.build = 'tsc';
  if (ctx.hasDatabase && facts.migrateEntry && facts.migrateCommand) out.migrate = facts.migrateCommand.join(' ');
  return out;
}

/** Apply the patch `spec.patch` to `existing` (undefined: the file is missing). */
export function applyPatch(spec: FileSpec, existing: string | undefined, ctx: RenderContext, facts: ProjectFacts): PatchResult {
  const sites = enabledSites(ctx, facts).filter((s) => s.file === spec.path);
  switch (spec.patch) {
    case PATCH.app:
      if (existing === undefined || !facts.appModule) return { skipReason: manualInstructions(facts, facts.appUnrecognised ?? `${spec.path} is missing`) };
      return patchAppModule(existing, spec.path, facts, sites);
    case PATCH.entry:
      if (existing === undefined) return { skipReason: `${spec.path} is missing; keep-alive and SIGTERM draining were not added.` };
      return patchEntry(existing, spec.path, facts, sites);
    case PATCH.readiness:
      if (existing === undefined) return { skipReason: `${spec.path} is missing; its readiness check was not registered.` };
      return patchClientFile(existing, spec.path, facts, sites);
    case PATCH.packageJson:
      if (existing === undefined) return { skipReason: 'package.json is missing.' };
      try {
        return { text: addScripts(existing, scriptsToAdd(ctx, facts)) };
      } catch (e) {
        return { skipReason: `${(e as Error).message}; add these scripts by hand: ${JSON.stringify(scriptsToAdd(ctx, facts))}` };
      }
    default:
      throw new Error(`unknown patch "${spec.patch ?? ''}" for ${spec.path}`);
  }
}
