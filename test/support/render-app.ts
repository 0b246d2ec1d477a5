/**
 * Test support: render only the generated app's files (package.json, src/, migrations/, .nvmrc) for a
 * new-repo scenario. Runtime tests need nothing else, and pipeline templates may not exist yet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveOptions, type RawValues } from '../../src/options/resolve.js';
import { buildContext, type RenderContext } from '../../src/context/build-context.js';
import { newRepoFacts } from '../../src/context/facts.js';
import { EXAMPLE_FLAGS } from '../../src/options/example.js';
import { planFiles } from '../../src/plan/plan-files.js';
import { renderFile } from '../../src/plan/render.js';
import type { FileSpec } from '../../src/plan/file-spec.js';

const PIPELINE_PATH = /^(terraform\/|\.github\/|\.aws\/|docs\/|Dockerfile$|\.dockerignore$)/;

/** True for the app's own files (not the pipeline's). */
export function isAppFile(spec: FileSpec): boolean {
  return !PIPELINE_PATH.test(spec.path);
}

/** Render the app files for `flags` (over EXAMPLE_FLAGS) into `dir`; returns the context and paths. */
export function renderAppTree(dir: string, flags: RawValues = {}, filter: (spec: FileSpec) => boolean = isAppFile): { ctx: RenderContext; paths: string[]; specs: FileSpec[] } {
  const facts = newRepoFacts('api');
  const { options } = resolveOptions({ flags: { ...EXAMPLE_FLAGS, ...flags }, facts, mode: 'strict' });
  const ctx = buildContext(options, facts);
  const specs = planFiles(ctx, facts).filter(filter);
  for (const spec of specs) {
    const out = join(dir, spec.path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderFile(spec, ctx));
  }
  return { ctx, paths: specs.map((s) => s.path), specs };
}
