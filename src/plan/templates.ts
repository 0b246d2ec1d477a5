/**
 * Compiled templates by path under templates/. Here (tests, development) each is compiled with EJS on
 * first use and cached; the published bundle replaces this module with one that reads the function
 * bodies EJS generated from the same files at build time (scripts/build.mjs → dist/templates.json), so
 * `npm create` neither ships EJS nor parses a template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { TEMPLATES_DIR } from '../paths.js';

/** A compiled template: the flat render data in, the text out. */
export type TemplateFn = (data: Record<string, unknown>) => string;

/**
 * `strict: false` keeps `with (locals)` so templates read the RenderContext's fields by name.
 * scripts/build.mjs precompiles with the same options (in client mode); the bundle tests compare.
 */
const EJS_OPTIONS = { strict: false, async: false } as const;

const compiled = new Map<string, TemplateFn>();

/** The compiled template at `rel` (e.g. `docker/Dockerfile.ejs`). */
export function templateFunction(rel: string): TemplateFn {
  let fn = compiled.get(rel);
  if (fn === undefined) {
    const file = join(TEMPLATES_DIR, rel);
    fn = ejs.compile(readFileSync(file, 'utf8'), { ...EJS_OPTIONS, filename: file }) as TemplateFn;
    compiled.set(rel, fn);
  }
  return fn;
}
