/**
 * Test support: render only terraform/ (plus the workflow, whose GitHub variables and environments
 * Terraform must match) through the pure pipeline, and parse the HCL with @cdktf/hcl2json.
 */
import { parse } from '@cdktf/hcl2json';
import { resolveOptions, type RawValues } from '../../src/options/resolve.js';
import { buildContext, type RenderContext } from '../../src/context/build-context.js';
import { newRepoFacts } from '../../src/detect/facts.js';
import { planFiles } from '../../src/plan/plan-files.js';
import { renderFile } from '../../src/plan/render.js';
import { isRendered } from '../../src/plan/file-spec.js';
import { EXAMPLE_FLAGS } from './render-tree.js';

/** hcl2json output: plain JSON whose shape depends on the file. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON/YAML that the test walks freely; a wrong path fails the assertion
export type Json = Record<string, any>;

export interface RenderedTerraform {
  readonly ctx: RenderContext;
  /** File name inside terraform/ → text. */
  readonly files: ReadonlyMap<string, string>;
  /** Every .tf file parsed and merged: resource, data, locals, variable, output. */
  readonly hcl: Json;
  /** terraform.tfvars parsed. */
  readonly tfvars: Json;
  /** .github/workflows/deploy.yml as rendered. */
  readonly workflow: string;
}

function merge(into: Json, part: Json): void {
  for (const [kind, byType] of Object.entries(part)) {
    if (kind === 'locals') into.locals = Object.assign(into.locals ?? {}, ...(byType as Json[]));
    else if (kind === 'resource' || kind === 'data') {
      into[kind] ??= {};
      for (const [type, byName] of Object.entries(byType as Json))
        into[kind][type] = { ...into[kind][type], ...byName };
    } else into[kind] = { ...into[kind], ...(byType as Json) };
  }
}

/**
 * Render terraform/ for `flags` over EXAMPLE_FLAGS; with `placeholders`, the account-specific
 * example values are left out and resolved as --yes does (placeholders in terraform.tfvars).
 */
export async function renderTerraform(flags: RawValues, placeholders = false): Promise<RenderedTerraform> {
  const facts = newRepoFacts('api');
  const base = placeholders ? { serviceName: EXAMPLE_FLAGS.serviceName } : EXAMPLE_FLAGS;
  const { options } = resolveOptions({ flags: { ...base, ...flags }, facts, mode: placeholders ? 'yes' : 'strict' });
  const ctx = buildContext(options, facts);
  const files = new Map<string, string>();
  const hcl: Json = {};
  let tfvars: Json = {};
  let workflow = '';
  for (const spec of planFiles(ctx, facts).filter(isRendered)) {
    if (spec.path === '.github/workflows/deploy.yml') workflow = renderFile(spec, ctx);
    if (!spec.path.startsWith('terraform/')) continue;
    const text = renderFile(spec, ctx);
    files.set(spec.path.slice('terraform/'.length), text);
    if (spec.path.endsWith('.tf')) merge(hcl, await parse(spec.path, text));
    else if (spec.path.endsWith('.tfvars')) tfvars = await parse(spec.path, text);
  }
  return { ctx, files, hcl, tfvars, workflow };
}

/** The Terraform scenarios of issue 4, as flags over EXAMPLE_FLAGS. */
export const TERRAFORM_SCENARIOS: Readonly<Record<string, RawValues>> = {
  'defaults (ecs)': {},
  'codedeploy 10 % / 5 min': {
    deploymentEngine: 'codedeploy',
    canaryPercent: '10',
    canaryMinutes: '5',
    expectedRpm: '2000',
  },
  'codedeploy 25 % / 12 min, staging, database and cache off': {
    deploymentEngine: 'codedeploy',
    canaryPercent: '25',
    canaryMinutes: '12',
    staging: false,
    database: 'none',
    cache: 'none',
  },
  'ecs 25 % / 12 min': {
    canaryPercent: '25',
    canaryMinutes: '12',
    alertsSlackTeamId: 'T0123ABCD',
    alertsSlackChannelId: 'C0123ABCD',
  },
  'staging off': { staging: false },
  'database and cache off': { database: 'none', cache: 'none' },
};
