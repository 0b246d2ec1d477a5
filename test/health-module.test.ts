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
import { isRendered } from '../src/plan/file-spec.js';
import { contextFor } from './support/render-tree.js';
import { adoptOutputs, fixtureApp } from './fixtures/adopt/support.js';

const ctx = contextFor();
const render = (lang: 'ts' | 'js', esm: boolean): string =>
  renderFile({ path: `src/health.${lang}`, kind: 'seed', template: `app-common/src/health.${lang}.ejs`, locals: { health: { esm, todos: [] } } }, ctx);

/** `a['b']` as `a.b`: the JavaScript spells TypeScript's index-signature access as a property (src/derive/strip-types.ts). */
function dotted(v: unknown): unknown {
  const m = v as { type?: string; computed?: boolean; property?: { type: string; value: string } };
  if (m?.type !== 'MemberExpression' || !m.computed || m.property?.type !== 'StringLiteral' || !/^[A-Za-z_$][\w$]*$/.test(m.property.value)) return v;
  return { ...m, computed: false, property: { type: 'Identifier', name: m.property.value } };
}

/** The program's syntax tree without positions, comments and raw text. */
function shape(code: string): unknown {
  const ast = parse(code, { sourceType: 'module' });
  const skip = ['start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'comments'];
  return JSON.parse(JSON.stringify(ast.program, (k, v: unknown) => (skip.includes(k) ? undefined : v)), (_k, v: unknown) => dotted(v));
}

describe('the health module', () => {
  it('JavaScript is the TypeScript without types', () => {
    const stripped = ts.transpileModule(render('ts', true), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false } }).outputText;
    expect(shape(render('js', true))).toEqual(shape(stripped));
  });

  it('the CommonJS flavour exports the same functions as the ES module', () => {
    const esmExports = [...render('js', true).matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
    const cjs = render('js', false);
    const cjsExports = /module\.exports = \{ ([^}]+) \}/.exec(cjs)![1]!.split(', ').sort();
    expect(cjsExports).toEqual(esmExports);
    expect(cjs).not.toMatch(/^(import|export) /m);
  });

  it('new and adopted services get it from the same template', () => {
    const fresh = planFiles(ctx, { mode: 'new', folderName: 'api', packageManager: 'npm', scripts: { test: true, lint: false, build: true } }).find((s) => s.path === 'src/health.ts');
    const adopted = adoptOutputs(fixtureApp('typescript'));
    const spec = planFiles(adopted.ctx, adopted.facts).find((s) => s.path === 'src/health-routes.ts');
    expect([fresh && isRendered(fresh) && fresh.template, spec && isRendered(spec) && spec.template]).toEqual(['app-common/src/health.ts.ejs', 'app-common/src/health.ts.ejs']);
  });
});
