/**
 * Test support: render only the generated app's files (package.json, src/, migrations/, .nvmrc) for a
 * new-repo scenario. Runtime tests need nothing else, and pipeline templates may not exist yet.
 */
import { newRepoFacts } from '../../src/detect/facts.js';
import type { RawValues } from '../../src/options/resolve.js';
import type { RenderContext } from '../../src/context/build-context.js';
import type { FileSpec } from '../../src/plan/file-spec.js';
import { renderTree } from './render-tree.js';

const PIPELINE_PATH = /^(terraform\/|\.github\/|\.aws\/|docs\/|Dockerfile$|\.dockerignore$)/;

/** True for the app's own files (not the pipeline's). */
export function isAppFile(spec: FileSpec): boolean {
  return !PIPELINE_PATH.test(spec.path);
}

/** Render the app files for `flags` (over EXAMPLE_FLAGS) into `dir`; returns the context and paths. */
export function renderAppTree(
  dir: string,
  flags: RawValues = {},
  filter: (spec: FileSpec) => boolean = isAppFile,
): { ctx: RenderContext; paths: string[]; specs: FileSpec[] } {
  return renderTree(dir, flags, newRepoFacts('api'), filter);
}
