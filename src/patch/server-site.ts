/**
 * The edit that hands the server to drainOnSigterm(): a call after `const server = …`, else an in-place
 * wrap `drainOnSigterm(app.listen(…))`, which is safe in any expression position because it returns
 * the server it is given. Where the server is created is detection's (src/detect/server-site.ts).
 */
import type { ServerSite } from '../detect/server-site.js';
import { afterStatement, indentAt, type CodeStyle, type Edit } from './source-edit.js';

const COMMENT = "// Keep-alive above the ALB's 60 s idle timeout; drain on SIGTERM (create-canary-pipeline).";

/** The edits handing the server at `site` to `drain` (the local name of drainOnSigterm). */
export function drainEdits(text: string, site: ServerSite, drain: string, style: CodeStyle): Edit[] {
  const indent = indentAt(text, site.statement.start!);
  if (site.name) {
    const at = afterStatement(text, site.statement.end!);
    return [{ at, text: `${style.eol}${indent}${COMMENT}${style.eol}${indent}${drain}(${site.name})${style.semi}` }];
  }
  return [
    { at: site.statement.start!, text: `${COMMENT}${style.eol}${indent}` },
    { at: site.call.start!, text: `${drain}(` },
    { at: site.call.end!, text: ')' },
  ];
}
