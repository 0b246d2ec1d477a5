/**
 * Split a Terraform traversal (`aws_subnet.private[0].id`, `data.x.y[*].arn`, `var.a["k"]`) into
 * name and index steps. hcl2json's reference finder gives the start of each traversal; its own
 * `value` drops what follows a splat, so the source text is re-read from the start position.
 */

/** One step of a traversal: a `.name` or an index (`[0]`, `["k"]`, `[*]`, `.*`, legacy `.0`). */
export type Step =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly splat: boolean };

/** The traversal starting at `start` in `text`, as steps, plus the exact source it spans. */
export function readTraversal(text: string, start: number): { steps: Step[]; source: string } {
  const steps: Step[] = [];
  let i = start;
  const ident = /[A-Za-z_][\w-]*/y;
  ident.lastIndex = i;
  const first = ident.exec(text);
  if (!first) return { steps, source: '' };
  steps.push({ kind: 'name', name: first[0] });
  i = ident.lastIndex;
  for (;;) {
    if (text[i] === '.') {
      ident.lastIndex = i + 1;
      const m = ident.exec(text);
      if (m) {
        steps.push({ kind: 'name', name: m[0] });
        i = ident.lastIndex;
        continue;
      }
      const idx = /\*|\d+/y;
      idx.lastIndex = i + 1;
      const n = idx.exec(text);
      if (n) {
        steps.push({ kind: 'index', splat: n[0] === '*' });
        i = idx.lastIndex;
        continue;
      }
      break;
    }
    if (text[i] === '[') {
      const end = matchBracket(text, i);
      if (end < 0) break;
      steps.push({ kind: 'index', splat: /^\[\s*\*\s*\]$/.test(text.slice(i, end + 1)) });
      i = end + 1;
      continue;
    }
    break;
  }
  return { steps, source: text.slice(start, i) };
}

/** Index of the `]` closing the `[` at `open` (nested brackets and quoted strings skipped), or -1. */
function matchBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Names after the first `skip` name steps, with index steps dropped: `aws_x.y[0].id` → skip 2 → ['id']. */
export function namesAfter(steps: readonly Step[], skip: number): string[] {
  const names: string[] = [];
  let seen = 0;
  for (const s of steps) {
    if (s.kind !== 'name') continue;
    if (seen++ >= skip) names.push(s.name);
  }
  return names;
}
