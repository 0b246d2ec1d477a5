/** Test support: managed files rendered for a set of option variants (the "option changes" of regeneration tests). */
import type { RawValues } from '../../src/options/resolve.js';
import { newRepoFacts } from '../../src/detect/facts.js';
import { contextFor } from './render-tree.js';
import { planFiles } from '../../src/plan/plan-files.js';
import { renderFile } from '../../src/plan/render.js';
import { templateExists } from '../../src/plan/templates.js';

/** Option sets a user might switch between on a re-run. */
export const VARIANTS: readonly RawValues[] = [
  {},
  { canaryPercent: 20 },
  { canaryMinutes: 15, rollbackWindowMinutes: 30 },
  { deploymentEngine: 'codedeploy', canaryPercent: 20 },
  { staging: false },
  { containerPort: 3000 },
  { desiredCount: 5 },
  { cpu: 1024, memory: 2048 },
  { database: 'none' },
  { cache: 'none' },
];

/**
 * Managed files of the plan for `flags`, by path. Specs whose template is not written yet are left
 * out (callers assert they still got enough files).
 */
export function renderManagedTexts(flags: RawValues): Map<string, string> {
  const facts = newRepoFacts('api');
  const ctx = contextFor(flags, facts);
  const out = new Map<string, string>();
  for (const spec of planFiles(ctx, facts)) {
    if (spec.kind === 'managed' && templateExists(spec.template)) out.set(spec.path, renderFile(spec, ctx));
  }
  return out;
}
