/**
 * Text helpers shared by the merge and the diff: hashing, line tokens, end-of-line style.
 * Lines keep their terminator so that joining tokens reproduces the text byte for byte
 * (a missing final newline or a CRLF line is a real difference, never normalised away silently).
 */
import { createHash } from 'node:crypto';

/** SHA-256 of the UTF-8 bytes of a text, lowercase hex (the manifest's hash). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Split into lines that keep their `\n` (the last one may lack it). `''` → `[]`. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

/** True when the text uses CRLF on every line break (and has at least one). */
export function isCrlf(text: string): boolean {
  const lf = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return lf > 0 && lf === crlf;
}

/** Convert LF line breaks to CRLF (existing CRLF untouched). */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
