/** One file the generator plans to produce. */

/**
 * - `managed`: owned by the generator, re-rendered every run (three-way merged when the user edited it),
 *   deleted when no longer planned.
 * - `seed`: written once when absent, then the user's.
 * - `patch`: an idempotent edit of a user file (adopt mode).
 */
export type FileKind = 'managed' | 'seed' | 'patch';

export interface FileSpec {
  /** Output path relative to the target directory, POSIX separators. */
  readonly path: string;
  readonly kind: FileKind;
  /** Template path relative to templates/ (without nothing appended: it ends in .ejs). */
  readonly template: string;
  /** Extra per-file values merged over the RenderContext (e.g. `env` for per-environment files). */
  readonly locals?: Readonly<Record<string, unknown>>;
  /** `patch` kind only: which patch applyPatch() runs (see src/patch/index.ts). */
  readonly patch?: string;
}
