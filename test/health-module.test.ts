/**
 * One health/drain module for new and adopted services, written once: the JavaScript template is the
 * TypeScript one without its types (compared as syntax trees, comments aside), the CommonJS flavour
 * exports the same API, and both modes plan it from the same templates.
 */
import { parse } from '@babel/parser';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderFile } from '../src/plan/render.js';
import { planFiles } from '../src/plan/plan-files.js';
import { adoptFiles } from '../src/plan/adopt-files.js';
import { isRendered } from '../src/plan/file-spec.js';
import { contextFor } from './support/render-tree.js';
import { adoptOutputs, fixtureApp } from './fixtures/adopt/support.js';

const ctx = contextFor();
const render = (lang: 'ts' | 'js', esm: boolean): string =>
  renderFile(
    {
      path: `src/health.${lang}`,
      kind: 'seed',
      template: `app-common/src/health.${lang}.ejs`,
      locals: { health: { esm, todos: [] } },
    },
    ctx,
  );

/** `a['b']` as `a.b`: the JavaScript spells TypeScript's index-signature access as a property (src/derive/strip-types.ts). */
function dotted(v: unknown): unknown {
  const m = v as { type?: string; computed?: boolean; property?: { type: string; value: string } };
  if (
    m?.type !== 'MemberExpression' ||
    !m.computed ||
    m.property?.type !== 'StringLiteral' ||
    !/^[A-Za-z_$][\w$]*$/.test(m.property.value)
  )
    return v;
  return { ...m, computed: false, property: { type: 'Identifier', name: m.property.value } };
}

/** The program's syntax tree without positions, comments and raw text. */
function shape(code: string): unknown {
  const ast = parse(code, { sourceType: 'module' });
  const skip = [
    'start',
    'end',
    'loc',
    'range',
    'extra',
    'leadingComments',
    'trailingComments',
    'innerComments',
    'comments',
  ];
  return JSON.parse(
    JSON.stringify(ast.program, (k, v: unknown) => (skip.includes(k) ? undefined : v)),
    (_k, v: unknown) => dotted(v),
  );
}

describe('the health module', () => {
  it('JavaScript is the TypeScript without types', () => {
    const stripped = ts.transpileModule(render('ts', true), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
    }).outputText;
    expect(shape(render('js', true))).toEqual(shape(stripped));
  });

  it('the CommonJS flavour exports the same functions as the ES module', () => {
    const esmExports = [...render('js', true).matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
    const cjs = render('js', false);
    const cjsExports = /module\.exports = \{ ([^}]+) \}/.exec(cjs)![1]!.split(', ').sort();
    expect(cjsExports).toEqual(esmExports);
    expect(cjs).not.toMatch(/^(import|export) /m);
  });

  it('declares a stand-in for `unknown` only for a TypeScript 2.x build (3.0+ rejects the alias; the corpus app ts2-pg-npm compiles it with tsc 2.3.4)', () => {
    const adopted = adoptOutputs(fixtureApp('typescript'));
    const healthOf = (typescriptNoUnknown: boolean | undefined): string => {
      const spec = adoptFiles(adopted.ctx, { ...adopted.facts, typescriptNoUnknown }).find(
        (s) => s.path === adopted.facts.layout.healthModule,
      );
      if (!spec || !isRendered(spec)) throw new Error('no health module planned');
      return renderFile(spec, adopted.ctx);
    };
    const old = healthOf(true);
    const alias = old.indexOf('type unknown = {} | null | undefined | void;');
    expect(alias).toBeGreaterThan(old.indexOf("from 'express'"));
    expect(alias).toBeLessThan(old.indexOf('=> unknown'));
    expect(old.replace(/\n\n\/\/ This service builds with TypeScript 2\.x[\s\S]*?void;\n/, '\n')).toBe(
      healthOf(undefined),
    );
    expect(healthOf(undefined)).not.toMatch(/type unknown|TypeScript 2\.x/);
    // A JavaScript module never gets it, whatever the facts say.
    const js = adoptOutputs(fixtureApp('express-generator'));
    const jsSpec = adoptFiles(js.ctx, { ...js.facts, typescriptNoUnknown: true }).find(
      (s) => s.path === js.facts.layout.healthModule,
    );
    if (!jsSpec || !isRendered(jsSpec)) throw new Error('no health module planned');
    const jsText = renderFile(jsSpec, js.ctx);
    expect(jsText).toContain('registerReadinessCheck');
    expect(jsText).not.toMatch(/unknown = |TypeScript 2\.x/);
  });

  it('new and adopted services get it from the same template', () => {
    const fresh = planFiles(ctx, {
      mode: 'new',
      folderName: 'api',
      packageManager: 'npm',
      scripts: { test: true, lint: false, build: true },
    }).find((s) => s.path === 'src/health.ts');
    const adopted = adoptOutputs(fixtureApp('typescript'));
    const spec = planFiles(adopted.ctx, adopted.facts).find((s) => s.path === 'src/health-routes.ts');
    expect([fresh && isRendered(fresh) && fresh.template, spec && isRendered(spec) && spec.template]).toEqual([
      'app-common/src/health.ts.ejs',
      'app-common/src/health.ts.ejs',
    ]);
  });
});
