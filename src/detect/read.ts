/** Small, failure-tolerant file readers shared by the detectors (files only, no network). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The text of `rel` under `dir`, or undefined when it is missing or unreadable. */
export function readText(dir: string, rel: string): string | undefined {
  try {
    const p = join(dir, rel);
    return existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `rel` is an existing file under `dir`. */
export function isFile(dir: string, rel: string): boolean {
  try {
    return statSync(join(dir, rel)).isFile();
  } catch {
    return false;
  }
}

/** Whether `rel` is an existing folder under `dir`. */
export function isDirectory(dir: string, rel: string): boolean {
  try {
    return statSync(join(dir, rel)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Parse JSON with comments and trailing commas (tsconfig.json is JSONC). Strings are kept intact;
 * returns undefined when the text still does not parse.
 */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(withoutTrailingCommas(out));
  } catch {
    return undefined;
  }
}

/** Drop commas that directly precede `}` or `]`, leaving strings alone. */
function withoutTrailingCommas(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c !== ',' || !/^\s*[}\]]/.test(text.slice(i + 1))) out += c;
  }
  return out;
}

/** Index just past the JSON string starting at `start` (which holds the opening quote). */
export function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** A plain object or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The string-valued entries of an object (e.g. dependencies, scripts). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(asRecord(v) ?? {})) if (typeof val === 'string') out[k] = val;
  return out;
}
