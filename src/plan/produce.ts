/** Turn FileSpecs into planned texts: render templates, apply patches to the user's files. */
import type { RenderContext } from '../context/build-context.js';
import type { ProjectFacts } from '../detect/facts.js';
import type { FileSpec, PlannedFile } from './file-spec.js';
import { renderFile } from './render.js';

/** Render every managed/seed spec; patch specs edit the current disk content. */
export function producePlanned(
  specs: readonly FileSpec[],
  ctx: RenderContext,
  facts: ProjectFacts,
  readDisk: (path: string) => string | undefined,
): PlannedFile[] {
  return specs.map((spec) => {
    if (spec.kind !== 'patch') return { spec, text: renderFile(spec, ctx) };
    if (facts.mode !== 'adopt')
      throw new Error(`patch of ${spec.path} planned for a new repo (planFiles plans patches in adopt mode only)`);
    const result = spec.patch(readDisk(spec.path), spec.path, ctx, facts);
    if ('skipReason' in result) return { spec, skipReason: result.skipReason };
    return result.notes?.length ? { spec, text: result.text, notes: result.notes } : { spec, text: result.text };
  });
}
