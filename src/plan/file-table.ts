/**
 * The table of generated files in docs/DEPLOYMENT.md, from the plan itself: one row per planned file
 * with a `description`, in plan order; neighbours with the same description share a row (a file and
 * its test, the smoke-test Terraform and its Lambda code). Files without a description are not listed.
 */
import { isRendered, type FileSpec } from './file-spec.js';

/** The file the table goes into. */
export const DOCS_PATH = 'docs/DEPLOYMENT.md';

/** One row: the paths (Markdown code spans, comma-separated) and what they are. */
export interface FileRow {
  readonly paths: string;
  readonly description: string;
}

/** The rows for `specs`. */
export function fileTable(specs: readonly FileSpec[]): FileRow[] {
  const rows: Array<{ paths: string[]; description: string }> = [];
  for (const s of specs) {
    if (!isRendered(s) || s.description === undefined) continue;
    const last = rows[rows.length - 1];
    if (last?.description === s.description) last.paths.push(s.path);
    else rows.push({ paths: [s.path], description: s.description });
  }
  return rows.map((r) => ({ paths: r.paths.map((p) => `\`${p}\``).join(', '), description: r.description }));
}

/** `specs` with the table handed to the docs' template (its `fileTable` local). */
export function withFileTable(specs: readonly FileSpec[]): FileSpec[] {
  const table = fileTable(specs);
  return specs.map((s) =>
    isRendered(s) && s.path === DOCS_PATH ? { ...s, locals: { ...s.locals, fileTable: table } } : s,
  );
}
