/**
 * The JavaScript templates are derived from the TypeScript ones (src/derive/). Checked here: the derived
 * JavaScript is the TypeScript with the types erased (esbuild compiles both renders to the same code),
 * and the rules (EJS tags kept, JSDoc, CommonJS, ts-only /
 * js-only lines) do what src/derive/js-template.ts says; what the derivation cannot translate fails it.
 * bundle.test.ts checks that dist/templates.json ships this derivation; the derived files themselves
 * are run by app-runtime-js.test.ts and the adopt tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { deriveJsTemplate, tsSourceOf } from '../src/derive/js-template.js';
import { templateSource } from '../src/plan/templates.js';
import { TEMPLATES_DIR } from '../src/paths.js';
import { contextFor } from './support/render-tree.js';
import { TWINS, twinLocals } from './support/twins.js';

const CONTEXTS = [
  ['database and cache, required env', { language: 'js' }],
  ['no database, no cache', { language: 'js', database: 'none', cache: 'none' }],
] as const;

function render(template: string, data: Record<string, unknown>): string {
  return ejs.render(template, data, { strict: false, async: false });
}

/** What esbuild makes of a module: the code with types and comments gone, in one canonical layout. */
function compiled(code: string, loader: 'ts' | 'js'): string {
  return transformSync(code, {
    loader,
    format: 'esm',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
  }).code;
}

describe('every TypeScript app template has a derived JavaScript twin, and no hand-kept one', () => {
  it('the twins are the seven shared and new-repo modules', () => {
    expect(TWINS.map(([, js]) => js).sort()).toEqual([
      'app-common/src/env.js.ejs',
      'app-common/src/health.js.ejs',
      'app-common/src/healthcheck.js.ejs',
      'app-common/src/migrate.js.ejs',
      'app-js/src/app.js.ejs',
      'app-js/src/health.test.js.ejs',
      'app-js/src/server.js.ejs',
    ]);
    for (const [ts, js] of TWINS) expect(tsSourceOf(js)).toBe(ts);
  });
  it.each(TWINS)('%s has no .js.ejs file beside it', (_ts, js) => {
    expect(() => readFileSync(join(TEMPLATES_DIR, js))).toThrow(/ENOENT/);
  });
});

describe('the derived JavaScript is the TypeScript with the types erased', () => {
  for (const [label, flags] of CONTEXTS) {
    const ctx = contextFor(flags);
    it.each(TWINS)(`${label}: %s`, (ts, js) => {
      const data = { ...ctx, ...twinLocals(true) };
      const fromTs = compiled(render(readFileSync(join(TEMPLATES_DIR, ts), 'utf8'), data), 'ts');
      expect(compiled(render(templateSource(js), data), 'js')).toBe(fromTs);
    });
  }
  it('and the comparison sees a dropped statement', () => {
    const data = { ...contextFor({ language: 'js' }), ...twinLocals(true) };
    const ts = render(readFileSync(join(TEMPLATES_DIR, 'app-common/src/health.ts.ejs'), 'utf8'), data);
    const js = render(templateSource('app-common/src/health.js.ejs'), data);
    expect(js).toContain('checks.set(name, check);');
    expect(compiled(js.replace('checks.set(name, check);', ''), 'js')).not.toBe(compiled(ts, 'ts'));
  });
});

describe('the derivation rules', () => {
  const derive = (ts: string): string => deriveJsTemplate(ts, 'test.ts.ejs');

  it('keeps EJS tags on their own line, in code, in strings and comments, and after an expression', () => {
    const ts = [
      '/** Port <%- port %>. */',
      '<%_ if (db) { _%>',
      "import pg from 'pg';",
      '<%_ } _%>',
      "const port: number = Number(process.env['PORT'] || <%- port %>);",
      "const deps = { a: 1 }<%- db ? ', db' : '' %>;",
      "const name = '<%- name %>';",
      '',
    ].join('\n');
    expect(derive(ts)).toBe(
      [
        '/** Port <%- port %>. */',
        '<%_ if (db) { _%>',
        "import pg from 'pg';",
        '<%_ } _%>',
        '/** @type {number} */',
        'const port = Number(process.env.PORT || <%- port %>);',
        "const deps = { a: 1 }<%- db ? ', db' : '' %>;",
        "const name = '<%- name %>';",
        '',
      ].join('\n'),
    );
  });

  // An untyped parameter (`port = 80`) gets no tag: TypeScript infers its type in JavaScript too.
  it('moves types into JSDoc: parameters, results, generics, interfaces (members under conditions too), casts', () => {
    const ts = [
      "import type { Server } from 'node:http';",
      "import express, { type Express } from 'express';",
      '<%_ if (db) { _%>',
      "import type pg from 'pg';",
      '<%_ } _%>',
      '',
      '/** What the app needs. */',
      'export interface Deps {',
      '<%_ if (db) { _%>',
      '  /** The pool. */',
      '  readonly db?: pg.Pool;',
      '<%_ } _%>',
      '  close(code: number): void;',
      '}',
      '',
      '/** Start `app`. */',
      'export function start<S extends Server>(app: Express, server: S, port = 80): S {',
      '  const seen = new Set<string>();',
      '  const address = server.address() as { port: number };',
      '  return server;',
      '}',
      '',
    ].join('\n');
    expect(derive(ts)).toBe(
      [
        "import express from 'express';",
        '',
        '/**',
        ' * What the app needs.',
        ' * @typedef {object} Deps',
        '<%_ if (db) { _%>',
        " * @property {import('pg').Pool} [db] The pool.",
        '<%_ } _%>',
        ' * @property {(code: number) => void} close',
        ' */',
        '',
        '/**',
        ' * Start `app`.',
        " * @template {import('node:http').Server} S",
        " * @param {import('express').Express} app",
        ' * @param {S} server',
        ' * @returns {S}',
        ' */',
        'export function start(app, server, port = 80) {',
        '  /** @type {Set<string>} */',
        '  const seen = new Set();',
        '  const address = /** @type {{ port: number }} */ (server.address());',
        '  return server;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('renders a module that may be CommonJS with both syntaxes behind its flag', () => {
    const ts = [
      '<%# js-commonjs-unless mod.esm _%>',
      "import { Router } from 'express';",
      "import pg from 'pg';",
      '',
      'export function f(): void {',
      '  Router();',
      '}',
      '',
    ].join('\n');
    const js = derive(ts);
    expect(render(js, { mod: { esm: true } })).toBe(
      [
        "import { Router } from 'express';",
        "import pg from 'pg';",
        '',
        'export function f() {',
        '  Router();',
        '}',
        '',
      ].join('\n'),
    );
    expect(render(js, { mod: { esm: false } })).toBe(
      [
        "const { Router } = require('express');",
        "const pg = require('pg');",
        '',
        'function f() {',
        '  Router();',
        '}',
        '',
        'module.exports = { f };',
        '',
      ].join('\n'),
    );
    // The TypeScript template's own render ignores the rule comment.
    expect(render(ts, { mod: { esm: false } })).toBe(ts.replace('<%# js-commonjs-unless mod.esm _%>\n', ''));
  });

  it('leaves out ts-only lines and type-only statements, adds js-only lines, renames src/*.ts', () => {
    const ts = [
      '/**',
      ' * Built by src/server.ts.',
      ' * Typed for TypeScript 3.<%# ts-only %>',
      '<%# js-only  * Plain ES2015. _%>',
      ' */',
      "const port = '1';",
      '',
      '// Module scope for tsc.',
      'export {};',
      '',
    ].join('\n');
    expect(derive(ts)).toBe(
      ['/**', ' * Built by src/server.js.', ' * Plain ES2015.', ' */', "const port = '1';", ''].join('\n'),
    );
    expect(render(ts, {})).toBe(
      [
        '/**',
        ' * Built by src/server.ts.',
        ' * Typed for TypeScript 3.',
        ' */',
        "const port = '1';",
        '',
        '// Module scope for tsc.',
        'export {};',
        '',
      ].join('\n'),
    );
  });

  it('drops overload signatures and the types of catch variables, accessors and export lists', () => {
    const ts = [
      'function f(a: string): string;',
      'function f(a: number): number;',
      'function f(a: unknown): unknown {',
      '  try {',
      '    return { get v(): number { return 1; } };',
      '  } catch (err: unknown) {',
      '    return a;',
      '  }',
      '}',
      'type T = number;',
      'export { f, type T };',
      '',
    ].join('\n');
    expect(derive(ts)).toBe(
      [
        '/**',
        ' * @param {unknown} a',
        ' * @returns {unknown}',
        ' */',
        'function f(a) {',
        '  try {',
        '    return { get v() { return 1; } };',
        '  } catch (err) {',
        '    return a;',
        '  }',
        '}',
        '/** @typedef {number} T */',
        'export { f };',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      'an export list in a module that may be CommonJS',
      '<%# js-commonjs-unless m.esm _%>\nconst a = 1;\nexport { a };\n',
      /export list in a module that may be CommonJS/,
    ],
    ['an enum', 'enum Color { Red }\n', /enum|EnumDeclaration.*line 1/i],
    ['a class', 'class A { private x = 1; }\n', /ClassDeclaration at line 1/],
    ['a TypeScript that does not parse', 'const a = (;\n', /does not parse \(line 1/],
    ['an EJS tag inside a type', 'const a = f<<%- t %>>();\n', /EJS tag sat inside a type and was lost: <%- t %>/],
    [
      'a default export in a CommonJS module',
      '<%# js-commonjs-unless m.esm _%>\nexport default function f() {}\n',
      /default export in a CommonJS module/,
    ],
  ])('fails on %s, naming the template and the place', (_what, ts, message) => {
    expect(() => derive(ts)).toThrow(/^test\.ts\.ejs: cannot derive JavaScript/);
    expect(() => derive(ts)).toThrow(message);
  });
});
