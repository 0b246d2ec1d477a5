/** Test support: the TypeScript app templates that have a derived JavaScript twin (src/derive/js-template.ts). */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jsTwinOf } from '../../src/derive/js-template.js';
import { TEMPLATES_DIR } from '../../src/paths.js';

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** [TypeScript template, its JavaScript twin] under templates/. */
export const TWINS = templates(TEMPLATES_DIR)
  .map((f) => relative(TEMPLATES_DIR, f))
  .flatMap((ts) => {
    const js = jsTwinOf(ts);
    return js === undefined ? [] : [[ts, js] as const];
  });

/** Locals the shared modules take (plan-files.ts, adopt-files.ts), module syntax as given. */
export function twinLocals(esm: boolean): Record<string, unknown> {
  return {
    health: { esm, todos: [{ what: 'Redis', name: 'cache', example: 'client.ping()' }] },
    migrate: { esm, migrationsRel: '../migrations' },
  };
}
