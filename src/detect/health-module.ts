/** Whether a user file already loads the generated health module (the patches' idempotence check). */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import { requireSource, walk } from './ast.js';
import type { AdoptFacts } from './facts.js';

/** Module specifiers the file loads (import, export-from, require, `import x = require`). */
export function specifiers(ast: t.File): { value: string; raw?: string }[] {
  const out: { value: string; raw?: string }[] = [];
  const lit = (n: t.StringLiteral): { value: string; raw?: string } => ({
    value: n.value,
    raw: (n.extra as { raw?: string } | undefined)?.raw,
  });
  walk(ast.program, (n) => {
    if (
      (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') &&
      n.source
    )
      out.push(lit(n.source));
    else if (n.type === 'CallExpression' && requireSource(n) !== undefined)
      out.push(lit(n.arguments[0] as t.StringLiteral));
    else if (n.type === 'TSImportEqualsDeclaration' && n.moduleReference.type === 'TSExternalModuleReference')
      out.push(lit(n.moduleReference.expression));
  });
  return out;
}

/** Whether `file` already loads the generated health module (the idempotence check). */
export function importsHealthModule(ast: t.File, file: string, facts: AdoptFacts): boolean {
  const target = facts.layout.healthModule.replace(/\.[cm]?[jt]s$/, '');
  return specifiers(ast).some(
    ({ value }) =>
      value.startsWith('.') && posix.join(posix.dirname(file), value).replace(/\.[cm]?[jt]s$/, '') === target,
  );
}
