/**
 * Compiled templates by path under templates/. Here (tests, development) each is compiled with EJS on
 * first use and cached; the published bundle replaces this module with one that reads the function
 * bodies EJS generated from the same files at build time (scripts/build.mjs → dist/templates.json), so
 * `npm create` neither ships EJS nor parses a template.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { deriveJsTemplate, tsSourceOf } from '../derive/js-template.js';
import { TEMPLATES_DIR } from '../paths.js';

/** A compiled template: the flat render data in, the text out. */
export type TemplateFn = (data: Record<string, unknown>) => string;

/**
 * `strict: false` keeps `with (locals)` so templates read the RenderContext's fields by name.
 * scripts/build.mjs precompiles with the same options (in client mode); the bundle tests compare.
 */
const EJS_OPTIONS = { strict: false, async: false } as const;

const compiled = new Map<string, TemplateFn>();

/**
 * The text of the template at `rel`: the file, or for a JavaScript template the one derived from its
 * TypeScript twin (src/derive/js-template.ts; the build derives the same into dist/templates.json).
 */
export function templateSource(rel: string): string {
  const ts = tsSourceOf(rel);
  return ts === undefined
    ? readFileSync(join(TEMPLATES_DIR, rel), 'utf8')
    : deriveJsTemplate(readFileSync(join(TEMPLATES_DIR, ts), 'utf8'), ts);
}

/** Whether there is a template at `rel` (a file, or a JavaScript template derived from one). */
export function templateExists(rel: string): boolean {
  const ts = tsSourceOf(rel);
  return existsSync(join(TEMPLATES_DIR, ts ?? rel));
}

/** The compiled template at `rel` (e.g. `docker/Dockerfile.ejs`). */
export function templateFunction(rel: string): TemplateFn {
  let fn = compiled.get(rel);
  if (fn === undefined) {
    fn = ejs.compile(templateSource(rel), { ...EJS_OPTIONS, filename: join(TEMPLATES_DIR, rel) }) as TemplateFn;
    compiled.set(rel, fn);
  }
  return fn;
}
