/**
 * @babel/parser, loaded on first use. Only adopting an existing service parses code, and the parser is
 * by far the largest module, so a new repo never loads it. The published bundle keeps it in a file of
 * its own beside the CLI (the build sets BABEL_PARSER_FILE, relative to the bundle that requires it).
 */
import { createRequire } from 'node:module';
import type * as Babel from '@babel/parser';

declare const BABEL_PARSER_FILE: string | undefined;

let loaded: typeof Babel | undefined;

/** The parser module (synchronous: detection and patches are synchronous). */
export function babelParser(): typeof Babel {
  const file = typeof BABEL_PARSER_FILE === 'string' ? BABEL_PARSER_FILE : '@babel/parser';
  loaded ??= createRequire(import.meta.url)(file) as typeof Babel;
  return loaded;
}
