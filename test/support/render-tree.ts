/**
 * Test support: render a complete generated tree into a directory through the pure pipeline
 * (resolveOptions → buildContext → planFiles → renderFile), without Yeoman.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveOptions, type RawValues } from '../../src/options/resolve.js';
import { buildContext, type RenderContext } from '../../src/context/build-context.js';
import { newRepoFacts, type ProjectFacts } from '../../src/context/facts.js';
import { EXAMPLE_FLAGS } from '../../src/options/example.js';
import { planFiles } from '../../src/plan/plan-files.js';
import { renderFile } from '../../src/plan/render.js';

export { EXAMPLE_FLAGS };


/** Render every planned file for `flags` (over EXAMPLE_FLAGS) into `dir`; returns the context and paths. */
export function renderTree(dir: string, flags: RawValues = {}, facts: ProjectFacts = newRepoFacts('api')): { ctx: RenderContext; paths: string[] } {
  const { options } = resolveOptions({ flags: { ...EXAMPLE_FLAGS, ...flags }, facts, mode: 'strict' });
  const ctx = buildContext(options, facts);
  const paths: string[] = [];
  for (const spec of planFiles(ctx, facts)) {
    const out = join(dir, spec.path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderFile(spec, ctx));
    paths.push(spec.path);
  }
  return { ctx, paths };
}
