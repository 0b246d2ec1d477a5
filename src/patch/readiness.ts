/**
 * The readiness checks adopt mode wires into the app's own files: which sites apply for the chosen
 * options, the name each check is registered under, and the edit that registers it right after the
 * client's declaration (an insertion; the probe reads the binding lazily).
 */
import type * as t from '@babel/types';
import type { RenderContext } from '../context/build-context.js';
import type { AdoptFacts } from '../detect/facts.js';
import type { ReadinessSite } from '../detect/readiness.js';
import { anchorFor } from '../detect/sites.js';
import { afterStatement, indentAt, type CodeStyle, type Edit } from './source-edit.js';
import { isImportLike } from './health-import.js';

/** A site with the check name /readyz logs it under. */
export interface NamedSite extends ReadinessSite {
  readonly name: string;
}

const COMMENT = '// /readyz probes this client, bounded by READINESS_TIMEOUT_MS (create-canary-pipeline).';

/** Sites of the enabled roles (database when --database is set, cache when --cache is), each with a unique name. */
export function enabledSites(ctx: RenderContext, facts: AdoptFacts): NamedSite[] {
  const on = (role: string): boolean => (role === 'database' ? ctx.hasDatabase : ctx.hasCache);
  const count = new Map<string, number>();
  return (facts.readinessSites ?? [])
    .filter((s) => on(s.role))
    .map((s) => {
      const n = (count.get(s.role) ?? 0) + 1;
      count.set(s.role, n);
      return { ...s, name: n === 1 ? s.role : `${s.role}-${s.binding.replace(/\W+/g, '-')}` };
    });
}

/** Edits registering `sites` (all in this file) with `register` (the local name of registerReadinessCheck). */
export function registrationEdits(
  ast: t.File,
  text: string,
  sites: readonly NamedSite[],
  register: string,
  style: CodeStyle,
): { edits: Edit[]; anchor: number } | undefined {
  const edits: Edit[] = [];
  let anchor = Infinity;
  for (const site of sites) {
    let statement = anchorFor(ast, site.binding);
    if (!statement) continue;
    // A module binding (the mongoose import): register after the whole import block, not inside it.
    const body = ast.program.body;
    for (
      let i = body.indexOf(statement);
      isImportLike(statement) && i + 1 < body.length && isImportLike(body[i + 1]!);
      i++
    )
      statement = body[i + 1]!;
    anchor = Math.min(anchor, body.indexOf(statement));
    const indent = indentAt(text, statement.start!);
    const call = `${register}('${site.name}', () => ${site.probe})`.replace(/'/g, style.quote);
    edits.push({
      at: afterStatement(text, statement.end!),
      text: `${style.eol}${indent}${COMMENT}${style.eol}${indent}${call}${style.semi}`,
    });
  }
  return edits.length ? { edits, anchor } : undefined;
}
