/**
 * Test support: render a complete generated tree into a directory through the pure pipeline
 * (resolveOptions → buildContext → planFiles → renderFile), without Yeoman.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveOptions, type RawValues } from '../../src/options/resolve.js';
import { buildContext, type RenderContext } from '../../src/context/build-context.js';
import { newRepoFacts, type ProjectFacts } from '../../src/detect/facts.js';
import { EXAMPLE_FLAGS } from '../../src/options/example.js';
import { planFiles } from '../../src/plan/plan-files.js';
import { renderFile } from '../../src/plan/render.js';
import { isRendered, type FileSpec } from '../../src/plan/file-spec.js';

export { EXAMPLE_FLAGS };

/** The render context for `flags` over EXAMPLE_FLAGS (as a strict non-interactive run resolves them). */
export function contextFor(flags: RawValues = {}, facts: ProjectFacts = newRepoFacts('api')): RenderContext {
  const { options } = resolveOptions({ flags: { ...EXAMPLE_FLAGS, ...flags }, facts, mode: 'strict' });
  return buildContext(options, facts);
}

/** Render the planned files accepted by `filter` (default: all) into `dir`; returns the context, paths and specs. */
export function renderTree(
  dir: string,
  flags: RawValues = {},
  facts: ProjectFacts = newRepoFacts('api'),
  filter: (spec: FileSpec) => boolean = () => true,
): { ctx: RenderContext; paths: string[]; specs: FileSpec[] } {
  const ctx = contextFor(flags, facts);
  const specs = planFiles(ctx, facts).filter(filter);
  for (const spec of specs) {
    if (!isRendered(spec)) throw new Error(`renderTree renders templates; ${spec.path} is a patch (use adoptOutputs)`);
    const out = join(dir, spec.path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderFile(spec, ctx));
  }
  return { ctx, paths: specs.map((s) => s.path), specs };
}
