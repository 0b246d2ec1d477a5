/**
 * Line lookup in HCL source. hcl2json drops positions, so findings are placed by searching the
 * source text near the block they belong to (good enough to point a reader at the right line).
 */

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lines of `text`, 0-based array. */
export function linesOf(text: string): string[] {
  return text.split('\n');
}

/** 1-based line of the header `kind "l1" "l2" {`, or undefined. */
export function blockLine(lines: readonly string[], kind: string, labels: readonly string[]): number | undefined {
  const re = new RegExp(`^\\s*${esc(kind)}${labels.map((l) => `\\s+"${esc(l)}"`).join('')}\\s*\\{`);
  const i = lines.findIndex((l) => re.test(l));
  return i < 0 ? undefined : i + 1;
}

/** 1-based line of argument or block `key` at or after line `from` (also `dynamic "key"`), else `from`. */
export function argLine(lines: readonly string[], from: number | undefined, key: string): number | undefined {
  const re = new RegExp(`^\\s*(${esc(key)}\\s*[={]|dynamic\\s+"${esc(key)}")`);
  for (let i = (from ?? 1) - 1; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i + 1;
  return from;
}

/** 1-based line of the first occurrence of `needle` at or after line `from` (then anywhere), else `from`. */
export function textLine(lines: readonly string[], needle: string, from?: number): number | undefined {
  const start = (from ?? 1) - 1;
  for (let i = start; i < lines.length; i++) if ((lines[i] ?? '').includes(needle)) return i + 1;
  for (let i = 0; i < start; i++) if ((lines[i] ?? '').includes(needle)) return i + 1;
  return from;
}
