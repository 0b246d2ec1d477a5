/** One file the generator plans to produce: rendered from a template, or a patch of a user file. */
import type { Patch, PatchResult } from '../patch/index.js';

/** A file rendered from a template. */
export interface RenderedSpec {
  /** Output path relative to the target directory, POSIX separators. */
  readonly path: string;
  /**
   * - `managed`: owned by the generator, re-rendered every run (three-way merged when the user edited it),
   *   deleted when no longer planned.
   * - `seed`: written once when absent, then the user's.
   */
  readonly kind: 'managed' | 'seed';
  /** Template path relative to templates/: `<feature>/<output path>.ejs` (see plan-files.ts `rendered`). */
  readonly template: string;
  /** Extra per-file values merged over the RenderContext (e.g. `env` for per-environment files). */
  readonly locals?: Readonly<Record<string, unknown>>;
  /** What the file is, for the table in docs/DEPLOYMENT.md; files without one are not listed. */
  readonly description?: string;
}

/** An idempotent edit of a user file (adopt mode). */
export interface PatchSpec {
  readonly path: string;
  readonly kind: 'patch';
  /** The edit (src/patch/index.ts): the file's current text in, the patched text or why not out. */
  readonly patch: Patch;
}

export type FileSpec = RenderedSpec | PatchSpec;

/** `managed`, `seed` or `patch` (recorded in the manifest of .yo-rc.json). */
export type FileKind = FileSpec['kind'];

/** A planned file: its rendered (or patched) text, or why a patch could not be applied. */
export type PlannedFile =
  | {
      readonly spec: FileSpec;
      readonly text: string /** What the user should know about a patch. */;
      readonly notes?: readonly string[];
    }
  | { readonly spec: FileSpec; readonly skipReason: string };

export type { Patch, PatchResult };

/** Whether the spec is rendered from a template (managed or seed), not a patch. */
export function isRendered(spec: FileSpec): spec is RenderedSpec {
  return spec.kind !== 'patch';
}
