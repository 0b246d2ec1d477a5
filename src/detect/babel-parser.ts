/**
 * @babel/parser, loaded on first use. Only adopting an existing service parses code, and the parser is
 * by far the largest module, so a new repo never loads it. The published bundle keeps it in a file of
 * its own beside the CLI (the build sets BABEL_PARSER_FILE, relative to the bundle that requires it).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Babel from '@babel/parser';
import { loadWithCodeCache } from '../code-cache.js';

declare const BABEL_PARSER_FILE: string | undefined;

let loaded: typeof Babel | undefined;

/** The parser module (synchronous: detection and patches are synchronous). */
export function babelParser(): typeof Babel {
  // Through the code cache in the bundle (310 KB of parser to compile on every adoption otherwise).
  loaded ??= (
    typeof BABEL_PARSER_FILE === 'string'
      ? loadWithCodeCache(fileURLToPath(new URL(BABEL_PARSER_FILE, import.meta.url)), 'babel-parser')
      : createRequire(import.meta.url)('@babel/parser')
  ) as typeof Babel;
  return loaded;
}
