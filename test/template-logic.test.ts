/**
 * Templates read a flat, precomputed RenderContext (src/context/): their scriptlets only branch and
 * loop. No template declares a variable or a function (a JS preamble); values and the shared
 * formatting helpers (`fmt`) come from the context.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TEMPLATES = new URL('../templates/', import.meta.url).pathname;

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.ejs') ? [join(dir, e.name)] : [],
  );
}

/** Declarations in the scriptlets (`<% … %>`, `<%_ … _%>`; not output tags) of an EJS text; a loop's own variable is fine. */
function declarations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<%_?(?![-=#%])([\s\S]*?)[-_]?%>/g)) {
    const code = m[1]!.replace(/\bfor \((const|let) \w+ of\b/g, 'for (');
    for (const line of code.split('\n')) if (/\b(const|let|var|function)\b/.test(line)) out.push(line.trim());
  }
  return out;
}

describe('templates hold no JS preambles', () => {
  it('finds a declaration when there is one, and not in loops or output tags', () => {
    expect(declarations("<%_\n  const usd = (n) => '$' + n;\n_%>\n<%- usd(1) %>")).toEqual([
      "const usd = (n) => '$' + n;",
    ]);
    expect(declarations('<%_ let i = 0; _%>')).toEqual(['let i = 0;']);
    expect(declarations('<%_ for (const s of secrets) { _%>\n<%- s.name %>\n<%_ } _%>\n<%- "const x" %>')).toEqual([]);
  });

  it.each(templates(TEMPLATES).map((f) => [relative(TEMPLATES, f), f]))('%s', (_name, file) => {
    expect(declarations(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
