/**
 * The OIDC trust policies against the subjects GitHub documents. Terraform itself evaluates the trust
 * conditions of iam.tf (its github_* locals and each role's conditions, over the rendered variables.tf
 * and terraform.tfvars, offline with `terraform console`); the tokens are built from GitHub's
 * documented subject syntax for the jobs of the rendered workflow, and StringEquals is applied the way
 * IAM does (every condition must hold; a claim a condition names must be present and equal one value).
 *
 * GitHub docs, "OpenID Connect reference" (content/actions/reference/security/oidc.md):
 *   job with an environment   repo:ORG-NAME/REPO-NAME:environment:ENVIRONMENT-NAME
 *   job without one, a branch repo:ORG-NAME/REPO-NAME:ref:refs/heads/BRANCH-NAME
 *   pull request (no env)     repo:ORG-NAME/REPO-NAME:pull_request
 *   immutable subject claims  repo:OWNER@OWNER-ID/REPO@REPO-ID:… (repositories created after 2026-07-15)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RawValues } from '../src/options/resolve.js';
import { renderTerraform, type Json } from './support/render-terraform.js';

const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
const ISSUER = 'token.actions.githubusercontent.com';

interface Repo {
  readonly owner: string;
  readonly name: string;
  readonly ownerId: string;
  readonly repoId: string;
  readonly immutable: boolean;
}
interface Token {
  readonly aud: string;
  readonly sub: string;
  readonly ref: string;
  readonly repository_id: string;
  readonly [claim: string]: string;
}
interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** The subject GitHub sends for a job, per its documented syntax. */
function githubSubject(repo: Repo, job: { environment?: string; event: 'push' | 'pull_request'; ref: string }): string {
  const prefix = repo.immutable
    ? `repo:${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repoId}`
    : `repo:${repo.owner}/${repo.name}`;
  if (job.environment) return `${prefix}:environment:${job.environment}`;
  if (job.event === 'pull_request') return `${prefix}:pull_request`;
  return `${prefix}:ref:${job.ref}`;
}

function token(repo: Repo, job: { environment?: string; event?: 'push' | 'pull_request'; ref?: string }): Token {
  const ref = job.ref ?? 'refs/heads/main';
  return {
    aud: 'sts.amazonaws.com',
    sub: githubSubject(repo, { event: job.event ?? 'push', ref, environment: job.environment }),
    ref,
    repository_id: repo.repoId,
  };
}

/** IAM's verdict for an Allow statement whose conditions are all StringEquals. */
function assumes(conditions: readonly Condition[], t: Token): boolean {
  return conditions.every((c) => {
    expect(c.test).toBe('StringEquals');
    expect(c.variable.startsWith(`${ISSUER}:`)).toBe(true);
    const claim = t[c.variable.slice(ISSUER.length + 1)];
    return claim !== undefined && c.values.includes(claim);
  });
}

/** HCL expression of a hcl2json value: a "${…}" string is an expression, anything else a literal. */
function expr(v: unknown, each?: string): string {
  const sub = (s: string): string => (each === undefined ? s : s.replace(/\beach\.key\b/g, JSON.stringify(each)));
  if (typeof v === 'string')
    return /^\$\{[\s\S]*\}$/.test(v) && !v.slice(2, -1).includes('${')
      ? sub(v.slice(2, -1))
      : sub(JSON.stringify(v).replace(/\\\$/g, '$'));
  if (Array.isArray(v)) return `[${v.map((x) => expr(x, each)).join(', ')}]`;
  return JSON.stringify(v);
}

/** One statement's conditions as an HCL list expression (static ones, then each dynamic block expanded). */
function conditionsExpr(statement: Json, each?: string): string {
  const one = (c: Json, values: string): string =>
    `{ test = ${JSON.stringify(c.test)}, variable = ${JSON.stringify(c.variable)}, values = ${values} }`;
  const parts = (statement.condition as Json[]).map((c) => `[${one(c, expr(c.values, each))}]`);
  for (const d of (statement.dynamic?.condition ?? []) as Json[]) {
    const c = d.content[0] as Json;
    expect(c.values).toEqual(['${condition.value}']);
    parts.push(`[for v in ${expr(d.for_each, each)} : ${one(c, '[v]')}]`);
  }
  return `concat(${parts.join(', ')})`;
}

interface Evaluated {
  readonly roles: Record<string, Condition[]>;
  /** The role each job of the workflow assumes, with the job's environment. */
  readonly jobs: Array<{ job: string; role: string; environment?: string }>;
}

/** Render for `flags`, evaluate every trust policy with terraform console. */
async function evaluate(flags: RawValues): Promise<Evaluated> {
  const r = await renderTerraform(flags);
  const dir = mkdtempSync(join(tmpdir(), 'ccp-oidc-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'variables.tf'), r.files.get('variables.tf')!);
  writeFileSync(join(dir, 'terraform.tfvars'), r.files.get('terraform.tfvars')!);
  const locals = Object.fromEntries(
    Object.entries(r.hcl.locals as Json).filter(([k]) => k.startsWith('github_') && k !== 'github_oidc_provider_arn'),
  );
  writeFileSync(join(dir, 'github.tf.json'), JSON.stringify({ locals }));
  const build = r.hcl.data.aws_iam_policy_document.build_trust[0].statement[0] as Json;
  const deploy = r.hcl.data.aws_iam_policy_document.deploy_trust[0].statement[0] as Json;
  const envs = r.ctx.environments.map((e) => e.name);
  const plan = r.hcl.data.aws_iam_policy_document.plan_trust[0].statement[0] as Json;
  const exprs = [conditionsExpr(build), conditionsExpr(plan), ...envs.map((e) => conditionsExpr(deploy, e))];
  // Piped input prints only the last result: one expression for all roles.
  const input = `jsonencode([${exprs.join(', ')}])\n`;
  const out = spawnSync('terraform', ['console'], { cwd: dir, env: TF_ENV, input, encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  const values = JSON.parse(JSON.parse(out.stdout.trim()) as string) as Condition[][];
  const roles: Record<string, Condition[]> = { build: values[0]!, plan: values[1]! };
  envs.forEach((e, i) => {
    roles[`deploy:${e}`] = values[i + 2]!;
  });
  const wf = parseYaml(r.workflow) as {
    jobs: Record<string, { environment?: string; steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
  };
  const jobs = Object.entries(wf.jobs).flatMap(([job, j]) => {
    const creds = j.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    if (!creds) return [];
    const role =
      creds.with!['role-to-assume'] === '${{ vars.AWS_BUILD_ROLE_ARN }}' ? 'build' : `deploy:${j.environment}`;
    return [{ job, role, environment: j.environment }];
  });
  return { roles, jobs };
}

const NEW_REPO: Repo = { owner: 'acme', name: 'api', ownerId: '123456', repoId: '456789', immutable: true };
const OLD_REPO: Repo = { ...NEW_REPO, immutable: false };
/** Another repository that took over the name acme/api after the original was renamed or deleted. */
const SQUATTER: Repo = { owner: 'acme', name: 'api', ownerId: '999001', repoId: '999002', immutable: false };

let withIds: Evaluated;
let withoutIds: Evaluated;
beforeAll(async () => {
  withIds = await evaluate({});
  withoutIds = await evaluate({ githubOwnerId: undefined, githubRepoId: undefined });
}, 120_000);

describe('trust policies against the subjects GitHub documents', () => {
  it('every job that assumes a role is trusted, with and without environment:, in both subject formats when the ids are known', () => {
    expect(withIds.jobs.map((j) => j.job)).toEqual(['build', 'deploy-staging', 'deploy-production']);
    for (const j of withIds.jobs) {
      for (const repo of [NEW_REPO, OLD_REPO]) {
        expect(
          assumes(withIds.roles[j.role]!, token(repo, { environment: j.environment })),
          `${j.job} ${repo.immutable ? 'immutable' : 'legacy'}`,
        ).toBe(true);
      }
    }
  });

  it('the build role (no environment:) takes only main; a deploy role only its own environment on main', () => {
    const { roles } = withIds;
    for (const repo of [NEW_REPO, OLD_REPO]) {
      expect(assumes(roles.build!, token(repo, { ref: 'refs/heads/feature' }))).toBe(false);
      expect(assumes(roles.build!, token(repo, { event: 'pull_request', ref: 'refs/pull/7/merge' }))).toBe(false);
      expect(assumes(roles.build!, token(repo, { environment: 'production' }))).toBe(false);
      expect(assumes(roles['deploy:production']!, token(repo, { environment: 'staging' }))).toBe(false);
      expect(assumes(roles['deploy:staging']!, token(repo, {}))).toBe(false);
      // An environment job on another branch: its sub names no branch, the ref condition refuses it
      // even when the environment has no deployment-branch policy.
      expect(
        assumes(roles['deploy:staging']!, token(repo, { environment: 'staging', ref: 'refs/heads/feature' })),
      ).toBe(false);
    }
  });

  it('the plan role (terraform.yml) takes only pull_request runs of this repository, in both subject formats', () => {
    const plan = withIds.roles.plan!;
    for (const repo of [NEW_REPO, OLD_REPO]) {
      expect(
        assumes(plan, token(repo, { event: 'pull_request', ref: 'refs/pull/7/merge' })),
        repo.immutable ? 'immutable' : 'legacy',
      ).toBe(true);
      expect(assumes(plan, token(repo, {}))).toBe(false);
      expect(assumes(plan, token(repo, { environment: 'production' }))).toBe(false);
    }
    expect(assumes(plan, token(SQUATTER, { event: 'pull_request', ref: 'refs/pull/7/merge' }))).toBe(false);
    expect(assumes(withoutIds.roles.plan!, token(OLD_REPO, { event: 'pull_request', ref: 'refs/pull/7/merge' }))).toBe(
      true,
    );
  });

  it('pins repository_id when the ids are known: a repository that takes over the name is refused', () => {
    for (const role of Object.keys(withIds.roles)) {
      const env = role.startsWith('deploy:') ? role.slice('deploy:'.length) : undefined;
      expect(assumes(withIds.roles[role]!, token(SQUATTER, { environment: env })), role).toBe(false);
      expect(withIds.roles[role]!.find((c) => c.variable.endsWith(':repository_id'))?.values).toEqual(['456789']);
    }
  });

  it('without the ids only the name-only subject is trusted (the generator warns), and no repository_id is required', () => {
    for (const j of withoutIds.jobs) {
      expect(assumes(withoutIds.roles[j.role]!, token(OLD_REPO, { environment: j.environment })), j.job).toBe(true);
      expect(assumes(withoutIds.roles[j.role]!, token(NEW_REPO, { environment: j.environment })), j.job).toBe(false);
      expect(
        withoutIds.roles[j.role]!.some((c) => c.variable.endsWith(':repository_id')),
        j.job,
      ).toBe(false);
    }
  });

  it('the subjects are exactly the documented ones, no wildcards', () => {
    expect(withIds.roles.build!.find((c) => c.variable.endsWith(':sub'))!.values).toEqual([
      'repo:acme@123456/api@456789:ref:refs/heads/main',
      'repo:acme/api:ref:refs/heads/main',
    ]);
    expect(withIds.roles['deploy:production']!.find((c) => c.variable.endsWith(':sub'))!.values).toEqual([
      'repo:acme@123456/api@456789:environment:production',
      'repo:acme/api:environment:production',
    ]);
    for (const conditions of [...Object.values(withIds.roles), ...Object.values(withoutIds.roles)]) {
      for (const c of conditions) for (const v of c.values) expect(v).not.toMatch(/[*?]/);
    }
  });
});
