/**
 * The JavaScript templates are derived from the TypeScript ones: one source per module, so a fix to
 * the TypeScript template is a fix to both. scripts/build.mjs derives them into dist/templates.json;
 * src/plan/templates.ts derives them on first use in development and tests.
 *
 * The EJS tags are protected while the types are stripped: a tag alone on its line becomes a line
 * comment, any other tag an identifier, and both are put back afterwards. What is not a type is
 * handled by a rule, written in the TypeScript template as an EJS comment (so its own render ignores it):
 * - `<%# js-commonjs-unless health.esm _%>` on a line of its own: the module renders as CommonJS
 *   (`require`, `module.exports`) when that expression is false;
 * - a line ending in `<%# ts-only %>` is left out of the JavaScript (a comment about typings, say);
 * - `<%# js-only TEXT _%>` on a line of its own is TEXT in the JavaScript and nothing in TypeScript.
 * And always: `src/x.ts` in the text is `src/x.js`, types move into JSDoc (see strip-types.ts).
 */
import { stripTypes } from './strip-types.js';

/** TypeScript template folders → the folders their JavaScript twins live in (paths under templates/). */
const TWIN_FOLDERS: readonly (readonly [ts: string, js: string])[] = [
  ['app-common/src/', 'app-common/src/'],
  ['app-ts/src/', 'app-js/src/'],
];

/** The JavaScript template derived from the TypeScript template `tsRel`, if it has one. */
export function jsTwinOf(tsRel: string): string | undefined {
  const pair = TWIN_FOLDERS.find(([ts]) => tsRel.startsWith(ts));
  return pair && tsRel.endsWith('.ts.ejs')
    ? pair[1] + tsRel.slice(pair[0].length, -'.ts.ejs'.length) + '.js.ejs'
    : undefined;
}

/** The TypeScript template that the JavaScript template `jsRel` is derived from, if it is a derived one. */
export function tsSourceOf(jsRel: string): string | undefined {
  const pair = TWIN_FOLDERS.find(([, js]) => jsRel.startsWith(js));
  if (!pair || !jsRel.endsWith('.js.ejs')) return undefined;
  return pair[0] + jsRel.slice(pair[1].length, -'.js.ejs'.length) + '.ts.ejs';
}

const LINE_TAG = /^[ \t]*<%(?:(?!%>)[^\n])*%>[ \t]*$/;
const INLINE_TAG = /<%(?:(?!%>)[\s\S])*%>/g;
const TRAILING_TAGS = /(?:<%(?:(?!%>)[\s\S])*%>|\s)*$/;

/** Whether `at` lies inside a block comment of `code` (strings and line comments skipped; enough for templates). */
function inBlockComment(code: string, at: number): boolean {
  let i = 0;
  while (i < at) {
    const two = code.slice(i, i + 2);
    if (two === '/*') {
      const end = code.indexOf('*/', i + 2);
      if (end === -1 || end + 2 > at) return true;
      i = end + 2;
    } else if (two === '//') i = code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
    else if (code[i] === "'" || code[i] === '"' || code[i] === '`') i = stringEnd(code, i);
    else i++;
  }
  return false;
}

/** The position after the string literal that starts at `i` (a line break ends a broken one). */
function stringEnd(code: string, i: number): number {
  const quote = code[i];
  let j = i + 1;
  while (j < code.length && code[j] !== quote && !(quote !== '`' && code[j] === '\n')) j += code[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The template with its EJS tags replaced by placeholders the TypeScript parser accepts, and the way back. */
function protect(template: string): { code: string; restore: (js: string) => string } {
  const lines: string[] = [];
  const tags: string[] = [];
  const withLines = template
    .split('\n')
    .map((line) => (LINE_TAG.test(line) ? `//@@EJS${lines.push(line) - 1}@@` : line))
    .join('\n');
  // An identifier where a value may stand (and in comments and strings), a comment after a complete
  // expression (`{ a }<%- more %>`), where an identifier would not parse.
  const code = withLines.replace(INLINE_TAG, (tag, at: number) => {
    const i = tags.push(tag) - 1;
    return !inBlockComment(withLines, at) && /[\w$)\]}]$/.test(withLines.slice(0, at).replace(TRAILING_TAGS, ''))
      ? `/*@@EJS${i}@@*/`
      : `__EJS${i}__`;
  });
  const restore = (js: string): string => {
    const used = { lines: new Set<number>(), tags: new Set<number>() };
    const out = js
      .replace(/\/\/@@EJS(\d+)@@/g, (_m, i: string) => {
        used.lines.add(Number(i));
        return lines[Number(i)]!;
      })
      .replace(/\/\*@@EJS(\d+)@@\*\/|__EJS(\d+)__/g, (_m, c: string | undefined, i: string | undefined) => {
        used.tags.add(Number(c ?? i));
        return tags[Number(c ?? i)]!;
      });
    const lost = [...lines.filter((_l, i) => !used.lines.has(i)), ...tags.filter((_t, i) => !used.tags.has(i))];
    if (lost.length > 0)
      throw new Error(`cannot derive JavaScript: an EJS tag sat inside a type and was lost: ${lost[0]!.trim()}`);
    // A condition left with nothing inside (around a type-only import) goes too.
    return out.replace(/^[ \t]*<%_ if \(.*\) \{ _%>\n[ \t]*<%_ \} _%>\n/gm, '');
  };
  return { code, restore };
}

/** Apply the rule comments (see the module comment); returns the text and the CommonJS condition, if any. */
function applyRules(template: string): { text: string; commonjsFlag: string | undefined } {
  let commonjsFlag: string | undefined;
  const text = template
    .replace(/^<%# js-commonjs-unless ([^%\s]+) _%>\n/gm, (_m, flag: string) => {
      commonjsFlag = flag;
      return '';
    })
    .replace(/^.*<%# ts-only %>\n/gm, '')
    .replace(/^<%# js-only ((?:(?!%>).)*?) _%>\n/gm, '$1\n');
  if (/<%# (?:ts-only|js-only|js-commonjs-unless)\b/.test(text))
    throw new Error(
      'cannot derive JavaScript: a js/ts rule comment not on a line of its own as described in src/derive/js-template.ts',
    );
  return { text, commonjsFlag };
}

/** The JavaScript template of a TypeScript template (both EJS). */
export function deriveJsTemplate(tsTemplate: string, name = 'template'): string {
  try {
    return derive(tsTemplate);
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function derive(tsTemplate: string): string {
  const { text, commonjsFlag } = applyRules(tsTemplate);
  const { code, restore } = protect(text);
  const js = stripTypes(code, commonjsFlag)
    .replace(/\bsrc\/([\w./-]+?)\.ts\b/g, 'src/$1.js')
    // A declaration that went away leaves no blank lines behind it.
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n\n$/, '\n');
  return restore(js);
}
