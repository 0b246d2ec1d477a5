/**
 * .github/workflows/terraform.yml and the read-only plan role (issue 14). The workflow passes the
 * harness (actionlint, shellcheck, SHA pins from resources/), its fmt step runs the real terraform on
 * the generated tree, its init and plan steps run with bash against a recording fake terraform. The
 * role (parsed HCL): trusted only for pull_request runs of this repository, read actions that cover
 * every AWS service the stack uses and never a data-plane read, writes only on the state lock.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadVersions } from '../src/versions.js';
import { renderTree } from './support/render-tree.js';
import { renderTerraform, type Json, type RenderedTerraform } from './support/render-terraform.js';
import { formatFindings } from './validate/index.js';
import { validateWorkflow } from './validate/workflow/index.js';
import { admits } from './validate/version-constraint.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  if?: string;
  permissions?: Record<string, string>;
  defaults?: { run: { 'working-directory': string } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches: string[]; paths: string[] }>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const WF = '.github/workflows/terraform.yml';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(flags: Record<string, unknown> = {}): { dir: string; wf: Workflow } {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-tfwf-'));
  dirs.push(dir);
  renderTree(dir, flags);
  return { dir, wf: parse(readFileSync(join(dir, WF), 'utf8'), { uniqueKeys: true }) as Workflow };
}

/** Run a `run:` block as GitHub does (bash -e, pipefail), with a fake bin dir first on PATH. */
function runStep(
  script: string,
  cwd: string,
  env: Record<string, string>,
  fakeBin?: string,
): { code: number; out: string } {
  const PATH = [fakeBin, process.env.PATH].filter(Boolean).join(':');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH, HOME: tmpdir(), ...env },
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A fake `terraform` that appends its argv to $TF_CALLS, prints $TF_OUTPUT and exits $TF_EXIT. */
function fakeTerraform(): string {
  const bin = mkdtempSync(join(tmpdir(), 'ccp-fake-tf-'));
  dirs.push(bin);
  writeFileSync(
    join(bin, 'terraform'),
    '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$TF_CALLS"\nprintf "%b" "${TF_OUTPUT:-}"\nexit "${TF_EXIT:-0}"\n',
  );
  chmodSync(join(bin, 'terraform'), 0o755);
  return bin;
}

const step = (job: Job, name: string): Step => {
  const s = job.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step "${name}"`);
  return s;
};

describe('terraform.yml', () => {
  const sets = {
    defaults: {},
    codedeploy: { deploymentEngine: 'codedeploy', canaryPercent: '10', canaryMinutes: '15' },
    lean: { database: 'none', cache: 'none', staging: false },
  };

  it.each(Object.entries(sets))(
    '%s: passes the harness (strict YAML, actionlint, shellcheck per run block, SHA pins, permissions)',
    async (_n, flags) => {
      const { dir } = tree(flags);
      const findings = await validateWorkflow(dir, WF);
      expect(formatFindings(findings)).toBe('');
    },
  );

  it('pins every action to the SHA in resources/github-actions/action.yml, setup-terraform included', () => {
    const { wf } = tree();
    const pins = new Set(Object.values(loadVersions().actions).map((a) => a.uses));
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBe(5);
    for (const u of uses) expect(pins, u).toContain(u);
    expect(loadVersions().actions.setupTerraform.uses).toMatch(/^hashicorp\/setup-terraform@[0-9a-f]{40}$/);
  });

  it('runs on pull requests touching terraform/; only the plan job may request an OIDC token, and only for this repository', () => {
    const { wf } = tree();
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.on.pull_request!.paths).toEqual(['terraform/**', WF]);
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.validate!.permissions).toBeUndefined();
    expect(wf.jobs.plan!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(wf.jobs.plan!.needs).toBe('validate');
    expect(wf.jobs.plan!.if).toBe(
      "github.event.pull_request.head.repo.full_name == github.repository && vars.AWS_PLAN_ROLE_ARN != ''",
    );
    const creds = wf.jobs.plan!.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(creds.with).toEqual({
      'role-to-assume': '${{ vars.AWS_PLAN_ROLE_ARN }}',
      'aws-region': '${{ env.AWS_REGION }}',
    });
    for (const job of Object.values(wf.jobs)) expect(job.defaults?.run['working-directory']).toBe('terraform');
  });

  it('installs the newest Terraform that terraform/versions.tf admits', () => {
    const { wf } = tree();
    const required = loadVersions().terraformRequiredVersion;
    for (const job of Object.values(wf.jobs)) {
      const setup = job.steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))!;
      expect(setup.with).toEqual({ terraform_version: '<2.0.0', terraform_wrapper: false });
    }
    expect(admits(required, '1.99.99')).toBe(true);
    expect(admits(required, '2.0.0')).toBe(false);
  });

  it('fmt -check: passes on the generated terraform/ with the real terraform, fails on a misformatted file', () => {
    const { dir, wf } = tree();
    const fmt = step(wf.jobs.validate!, 'terraform fmt -check').run!;
    expect(runStep(fmt, join(dir, 'terraform'), {})).toEqual({ code: 0, out: '' });
    const file = join(dir, 'terraform', 'outputs.tf');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('output "region" {\n  description', 'output "region" {\n description'),
    );
    const broken = runStep(fmt, join(dir, 'terraform'), {});
    expect(broken.code).not.toBe(0);
    expect(broken.out).toContain('outputs.tf');
  });

  it('validate runs init without a backend, then validate', () => {
    const { wf } = tree();
    expect(step(wf.jobs.validate!, 'terraform init -backend=false').run).toBe('terraform init -backend=false');
    expect(step(wf.jobs.validate!, 'terraform validate').run).toBe('terraform validate');
    expect(wf.env).toMatchObject({ TF_IN_AUTOMATION: 'true', TF_INPUT: 'false' });
  });

  it('plan: init reads the state the repository variables name; without them it stops with an error saying what to set', () => {
    const { dir, wf } = tree();
    const init = step(wf.jobs.plan!, 'terraform init (S3 state, read through the plan role)');
    expect(init.env).toEqual({
      TF_STATE_BUCKET: '${{ vars.TF_STATE_BUCKET }}',
      TF_STATE_KEY: '${{ vars.TF_STATE_KEY }}',
    });
    const bin = fakeTerraform();
    const calls = join(bin, 'calls');
    const ok = runStep(
      init.run!,
      dir,
      {
        TF_CALLS: calls,
        TF_STATE_BUCKET: 'acme-state',
        TF_STATE_KEY: 'api/terraform.tfstate',
        AWS_REGION: wf.env.AWS_REGION!,
      },
      bin,
    );
    expect(ok.code, ok.out).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe(
      'init -backend-config=bucket=acme-state -backend-config=key=api/terraform.tfstate -backend-config=region=eu-west-1\n',
    );
    const missing = runStep(
      init.run!,
      dir,
      { TF_CALLS: join(bin, 'calls2'), TF_STATE_BUCKET: '', TF_STATE_KEY: '', AWS_REGION: 'eu-west-1' },
      bin,
    );
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('::error::Set the repository variables TF_STATE_BUCKET and TF_STATE_KEY');
  });

  it('plan: waits for the state lock, summarises the plan, and fails when terraform plan fails', () => {
    const { dir, wf } = tree();
    const plan = step(wf.jobs.plan!, 'terraform plan').run!;
    const bin = fakeTerraform();
    const summary = join(bin, 'summary.md');
    const env = {
      TF_CALLS: join(bin, 'calls'),
      GITHUB_STEP_SUMMARY: summary,
      TF_OUTPUT: 'aws_iam_role.plan[0] will be created\\nPlan: 1 to add, 0 to change, 0 to destroy.\\n',
    };
    expect(runStep(plan, dir, env, bin).code).toBe(0);
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toBe('plan -no-color -lock-timeout=5m\n');
    expect(readFileSync(summary, 'utf8')).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(runStep(plan, dir, { ...env, TF_EXIT: '1', GITHUB_STEP_SUMMARY: join(bin, 's2') }, bin).code).not.toBe(0);
  });
});

/** IAM service prefix of each AWS resource/data type the stack may declare (first matching prefix wins). */
const SERVICE_OF: ReadonlyArray<readonly [string, string]> = [
  ['aws_ecs_', 'ecs'],
  ['aws_ecr_', 'ecr'],
  ['aws_lb', 'elasticloadbalancing'],
  ['aws_iam_', 'iam'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_event_', 'events'],
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_sns_', 'sns'],
  ['aws_secretsmanager_', 'secretsmanager'],
  ['aws_codedeploy_', 'codedeploy'],
  ['aws_lambda_', 'lambda'],
  ['aws_chatbot_', 'chatbot'],
  ['aws_security_group', 'ec2'],
  ['aws_vpc', 'ec2'],
  ['aws_subnet', 'ec2'],
];
/** Data sources Terraform evaluates without an AWS read action. */
const LOCAL_DATA = new Set(['aws_iam_policy_document', 'aws_caller_identity', 'archive_file']);
/** Data-plane reads the plan role must never be able to call. */
const FORBIDDEN = [
  'secretsmanager:GetSecretValue',
  's3:GetObject',
  'ecr:GetAuthorizationToken',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchGetImage',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'kms:Decrypt',
  'lambda:InvokeFunction',
];

/** True when IAM action pattern `pattern` (with `*`) matches `action` (case-insensitive, as IAM does). */
const matches = (pattern: string, action: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(action);

/** Resource/data types of the stack that need a read action, and which the action list does not cover. */
function uncoveredTypes(hcl: Json, actions: readonly string[]): string[] {
  const types = [...Object.keys(hcl.resource ?? {}), ...Object.keys(hcl.data ?? {}).filter((t) => !LOCAL_DATA.has(t))];
  return types.filter((type) => {
    const service = SERVICE_OF.find(([prefix]) => type.startsWith(prefix))?.[1];
    return !service || !actions.some((a) => a.startsWith(`${service}:`));
  });
}

describe('the plan role (terraform/iam.tf)', () => {
  const scenarios: Record<string, Record<string, unknown>> = {
    defaults: {},
    codedeploy: { deploymentEngine: 'codedeploy', canaryPercent: '25', canaryMinutes: '12' },
    lean: { database: 'none', cache: 'none' },
    alerts: { alertsSlackTeamId: 'T0123ABCD', alertsSlackChannelId: 'C0123ABCD' },
  };
  const rendered: Record<string, RenderedTerraform> = {};
  beforeAll(async () => {
    for (const [name, flags] of Object.entries(scenarios)) rendered[name] = await renderTerraform(flags as never);
  });
  const doc = (r: RenderedTerraform, name: string): Json => r.hcl.data.aws_iam_policy_document[name][0];
  const statements = (r: RenderedTerraform): Json[] => doc(r, 'plan').statement;

  it.each(Object.keys(scenarios))(
    '%s: exists only once var.state_bucket is set, and is trusted only for pull_request runs of this repository',
    (name) => {
      const r = rendered[name]!;
      for (const [kind, type, n] of [
        ['data', 'aws_iam_policy_document', 'plan_trust'],
        ['resource', 'aws_iam_role', 'plan'],
        ['data', 'aws_iam_policy_document', 'plan'],
        ['resource', 'aws_iam_role_policy', 'plan'],
      ] as const) {
        expect(r.hcl[kind][type][n][0].count, `${type}.${n}`).toBe('${var.state_bucket == "" ? 0 : 1}');
      }
      const trust = doc(r, 'plan_trust').statement;
      expect(trust).toHaveLength(1);
      expect(trust[0].actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
      const conditions = Object.fromEntries(trust[0].condition.map((c: Json) => [c.variable, [c.test, c.values]]));
      expect(conditions).toEqual({
        'token.actions.githubusercontent.com:aud': ['StringEquals', ['sts.amazonaws.com']],
        'token.actions.githubusercontent.com:sub': ['StringEquals', '${local.github_pull_request_subjects}'],
      });
      // The same immutable-id pin as the build and deploy roles (evaluated against tokens in oidc-trust.test.ts).
      expect(trust[0].dynamic.condition[0].for_each).toBe('${local.github_repository_ids}');
      const role = r.hcl.resource.aws_iam_role.plan[0];
      expect(role.assume_role_policy).toBe('${data.aws_iam_policy_document.plan_trust[0].json}');
      expect(role.max_session_duration).toBe(3600);
      expect(r.hcl.variable.state_key[0].default).toBe(`${r.ctx.serviceName}/terraform.tfstate`);
    },
  );

  it.each(Object.keys(scenarios))(
    '%s: read actions cover every AWS service the stack declares, and never a data-plane read',
    (name) => {
      const r = rendered[name]!;
      const read = statements(r).find((s) => s.sid === 'ReadTheStack')!;
      expect(read.resources).toEqual(['*']);
      expect(read.actions).toEqual(r.ctx.terraformPlan.readActions);
      for (const a of read.actions as string[])
        expect(a).toMatch(/^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z]*\*?$/);
      for (const f of FORBIDDEN)
        expect(
          (read.actions as string[]).filter((a) => matches(a, f)),
          f,
        ).toEqual([]);
      expect(uncoveredTypes(r.hcl, read.actions)).toEqual([]);
    },
  );

  it('the coverage check can fail: without ECS or ELB actions the stack is not covered', () => {
    const r = rendered.defaults!;
    const without = r.ctx.terraformPlan.readActions.filter(
      (a) => !a.startsWith('ecs:') && !a.startsWith('elasticloadbalancing:'),
    );
    expect(uncoveredTypes(r.hcl, without)).toEqual(
      expect.arrayContaining(['aws_ecs_service', 'aws_lb', 'aws_lb_listener']),
    );
  });

  it('writes nothing but the state lock; reads only the state object of the state bucket', () => {
    for (const r of Object.values(rendered)) {
      const bySid = Object.fromEntries(statements(r).map((s) => [s.sid, s]));
      expect(Object.keys(bySid).sort()).toEqual(['ListStateBucket', 'ReadState', 'ReadTheStack', 'StateLock']);
      expect(bySid.ListStateBucket).toMatchObject({
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::${var.state_bucket}'],
      });
      expect(bySid.ReadState).toMatchObject({
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::${var.state_bucket}/${var.state_key}'],
      });
      expect(bySid.StateLock).toMatchObject({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: ['arn:aws:s3:::${var.state_bucket}/${var.state_key}.tflock'],
      });
      for (const s of statements(r)) expect(s.effect ?? 'Allow').toBe('Allow');
    }
  });

  it('github_plan_variables gives the workflow the three variables it reads, empty until the role exists', () => {
    const r = rendered.defaults!;
    const value = r.hcl.output.github_plan_variables[0].value as string;
    expect(value).toContain('var.state_bucket == "" ? tomap({})');
    for (const v of [
      'AWS_PLAN_ROLE_ARN = aws_iam_role.plan[0].arn',
      'TF_STATE_BUCKET   = var.state_bucket',
      'TF_STATE_KEY      = var.state_key',
    ])
      expect(value).toContain(v);
    const { wf } = tree();
    const read = [...JSON.stringify(wf.jobs).matchAll(/\bvars\.([A-Z_]+)/g)].map((m) => m[1]);
    expect([...new Set(read)].sort()).toEqual(['AWS_PLAN_ROLE_ARN', 'TF_STATE_BUCKET', 'TF_STATE_KEY']);
  });
});
