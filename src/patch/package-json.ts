/**
 * Format-preserving package.json edit: add missing scripts without re-serialising the file, so the
 * user's indentation, key order, spacing and line endings stay exactly as they were.
 */
import { stringEnd } from '../detect/read.js';
import { applyEdits } from './source-edit.js';

interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

interface ObjectSpan {
  readonly start: number;
  readonly end: number; // index of the closing brace
  readonly members: readonly Member[];
}

const ws = (s: string, i: number): number => {
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return i;
};

/** End (exclusive) of the JSON value starting at `i`. */
function valueEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return stringEnd(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      if (s[j] === '"') j = stringEnd(s, j) - 1;
      else if (s[j] === '{' || s[j] === '[') depth++;
      else if ((s[j] === '}' || s[j] === ']') && --depth === 0) return j + 1;
    }
    throw new Error('unterminated JSON value');
  }
  const m = /^[^,}\]\s]+/.exec(s.slice(i));
  return i + (m ? m[0].length : 0);
}

/** Members of the object starting at `start` (the `{`). */
function objectAt(s: string, start: number): ObjectSpan {
  const members: Member[] = [];
  let i = ws(s, start + 1);
  while (s[i] === '"') {
    const keyEnd = stringEnd(s, i);
    const key = JSON.parse(s.slice(i, keyEnd)) as string;
    const valueStart = ws(s, ws(s, keyEnd) + 1); // skip the colon
    const end = valueEnd(s, valueStart);
    members.push({ key, keyStart: i, valueStart, valueEnd: end });
    i = ws(s, end);
    if (s[i] === ',') i = ws(s, i + 1);
  }
  if (s[i] !== '}') throw new Error('package.json: unexpected text in an object');
  return { start, end: i, members };
}

/** Indentation unit (the first indented line's leading whitespace), two spaces when the file is one line. */
function indentUnit(s: string): string {
  return /\n([ \t]+)\S/.exec(s)?.[1] ?? '  ';
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(s: string, offset: number): string {
  return /^[ \t]*/.exec(s.slice(s.lastIndexOf('\n', offset - 1) + 1))![0];
}

/** Add each script in `scripts` that package.json does not have yet; unchanged text when none is missing. */
export function addScripts(text: string, scripts: Readonly<Record<string, string>>): string {
  const root = objectAt(text, ws(text, 0));
  const existing = root.members.find((m) => m.key === 'scripts');
  const present = new Set(
    existing && text[existing.valueStart] === '{' ? objectAt(text, existing.valueStart).members.map((m) => m.key) : [],
  );
  const missing = Object.entries(scripts).filter(([k]) => !present.has(k));
  if (missing.length === 0) return text;
  const unit = indentUnit(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = ([k, v]: [string, string], indent: string): string =>
    `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  // An empty object `{ }` is rewritten between its braces; otherwise new members follow the last one.
  const addTo = (obj: ObjectSpan, inner: string, outer: string, lines: (indent: string) => string): string => {
    const last = obj.members[obj.members.length - 1];
    if (!last) return `${text.slice(0, obj.start + 1)}${eol}${lines(inner)}${eol}${outer}${text.slice(obj.end)}`;
    return applyEdits(text, [{ at: last.valueEnd, text: `,${eol}${lines(lineIndent(text, last.keyStart))}` }]);
  };
  if (existing) {
    if (text[existing.valueStart] !== '{') throw new Error('package.json: "scripts" is not an object');
    const outer = lineIndent(text, existing.keyStart);
    return addTo(objectAt(text, existing.valueStart), outer + unit, outer, (i) =>
      missing.map((m) => entry(m, i)).join(`,${eol}`),
    );
  }
  return addTo(
    root,
    unit,
    '',
    (i) => `${i}"scripts": {${eol}${missing.map((m) => entry(m, i + unit)).join(`,${eol}`)}${eol}${i}}`,
  );
}
