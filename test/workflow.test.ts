/**
 * The generated pipeline artifacts: .github/workflows/deploy.yml, .aws/*, Dockerfile, .dockerignore.
 * Pins the audit's workflow defects in the parsed YAML (pinned actions, least privilege, OIDC subjects,
 * migration gate, no CLI shorthand, Slack only where it works), runs the workflow through the
 * validation harness, and executes the two scripts that decide a deployment's fate against fakes.
 */
import type { Json } from './support/render-terraform.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RawValues } from '../src/options/resolve.js';
import type { RenderContext } from '../src/context/build-context.js';
import { addedCodeLayout, type ProjectFacts } from '../src/detect/facts.js';
import { renderTree } from './support/render-tree.js';
import { formatFindings } from './validate/index.js';
import { validateWorkflow } from './validate/workflow/index.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: Record<string, unknown>;
  'timeout-minutes'?: number;
  steps: Step[];
}
interface Workflow {
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

interface Tree {
  dir: string;
  ctx: RenderContext;
  text: string;
  wf: Workflow;
  read: (path: string) => string;
}

const ADOPT_PNPM: ProjectFacts = {
  mode: 'adopt',
  folderName: 'shop',
  packageName: 'shop',
  packageManager: 'pnpm',
  scripts: { test: false, lint: true, build: false },
  typescript: false,
  startCommand: ['node', 'index.js'],
  layout: addedCodeLayout('.', 'js', '.', undefined),
};

const SETS: Record<string, { flags: RawValues; facts?: ProjectFacts }> = {
  defaults: { flags: {} },
  codedeploy: {
    flags: {
      deploymentEngine: 'codedeploy',
      canaryPercent: '10',
      canaryMinutes: '5',
      rollbackWindowMinutes: '5',
      expectedRpm: '2000',
    },
  },
  customCanaryCodedeploy: { flags: { deploymentEngine: 'codedeploy', canaryPercent: '25', canaryMinutes: '12' } },
  noStaging: { flags: { staging: false } },
  noSlack: { flags: { slackWebhookSecret: null } },
  noDatabase: { flags: { database: 'none', cache: 'none' } },
  js: { flags: { language: 'js' } },
  adoptPnpm: { flags: { database: 'none' }, facts: ADOPT_PNPM },
};

const trees: Record<string, Tree> = {};

beforeAll(() => {
  for (const [name, { flags, facts }] of Object.entries(SETS)) {
    const dir = mkdtempSync(join(tmpdir(), `ccp-wf-${name}-`));
    const { ctx } = renderTree(dir, flags, facts);
    const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
    const text = read('.github/workflows/deploy.yml');
    trees[name] = { dir, ctx, text, wf: parse(text, { uniqueKeys: true }) as Workflow, read };
  }
});

const all = (): Array<[string, Tree]> => Object.entries(trees);
const deployJobs = (wf: Workflow): Array<[string, Job]> =>
  Object.entries(wf.jobs).filter(([n]) => n.startsWith('deploy-'));
const stepUsing = (job: Job, action: string): Step | undefined =>
  job.steps.find((s) => s.uses?.startsWith(`${action}@`));
const asList = (needs: string | string[] | undefined): string[] =>
  needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];

describe('deploy.yml passes the validation harness (strict YAML, actionlint, shellcheck, hardening)', () => {
  it.each(Object.keys(SETS))(
    '%s',
    async (name) => {
      const findings = await validateWorkflow(trees[name]!.dir, '.github/workflows/deploy.yml');
      expect(formatFindings(findings)).toBe('');
    },
    60_000,
  );
});

describe('supply chain and privileges', () => {
  it('pins every action to the commit SHA of resources/ with its version comment', () => {
    for (const [name, t] of all()) {
      const uses = [...t.text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length, name).toBeGreaterThan(4);
      const pins = new Map(Object.values(t.ctx.actions).map((a) => [a.uses, a.version]));
      for (const [, ref, comment] of uses) {
        expect(ref, name).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(comment?.trim(), `${name} ${ref}`).toBe(`# ${pins.get(ref!)}`);
      }
    }
  });

  it('never references a :latest image', () => {
    for (const [name, t] of all()) {
      for (const f of [
        '.github/workflows/deploy.yml',
        'Dockerfile',
        ...t.ctx.environments.map((e) => `.aws/taskdef.${e.name}.json`),
      ]) {
        expect(t.read(f), `${name} ${f}`).not.toMatch(/:latest\b/);
      }
    }
  });

  it('grants contents: read at the top and id-token: write only to the jobs that assume a role', () => {
    for (const [name, t] of all()) {
      expect(t.wf.permissions, name).toEqual({ contents: 'read' });
      for (const [jobName, job] of Object.entries(t.wf.jobs)) {
        const assumesRole = stepUsing(job, 'aws-actions/configure-aws-credentials') !== undefined;
        expect(assumesRole, `${name} ${jobName}`).toBe(jobName === 'build' || jobName.startsWith('deploy-'));
        expect(job.permissions?.['id-token'], `${name} ${jobName}`).toBe(assumesRole ? 'write' : undefined);
      }
    }
  });

  it('checks out without persisting the token', () => {
    for (const [name, t] of all()) {
      for (const job of Object.values(t.wf.jobs)) {
        const checkout = stepUsing(job, 'actions/checkout');
        if (checkout) expect(checkout.with?.['persist-credentials'], name).toBe(false);
      }
    }
  });

  it('passes values to run scripts only through env (no expressions inside run)', () => {
    for (const [name, t] of all()) {
      for (const job of Object.values(t.wf.jobs)) {
        for (const s of job.steps.filter((x) => x.run !== undefined)) expect(s.run, name).not.toContain('${{');
      }
    }
  });
});

describe('jobs and OIDC subjects', () => {
  it('deploys in the order test → build → staging (when on) → production, on push to main only', () => {
    for (const [name, t] of all()) {
      const { jobs } = t.wf;
      expect(asList(jobs.build!.needs), name).toEqual(['test']);
      expect(jobs.build!.if, name).toBe(
        "(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/main'",
      );
      expect(jobs.test!.if, name).toBeUndefined();
      const envs = t.ctx.environments.map((e) => e.name);
      expect(
        deployJobs(t.wf).map(([n]) => n),
        name,
      ).toEqual(envs.map((e) => `deploy-${e}`));
      if (t.ctx.staging) {
        expect(asList(jobs['deploy-staging']!.needs), name).toEqual(['build']);
        expect(asList(jobs['deploy-production']!.needs), name).toEqual(['build', 'deploy-staging']);
      } else {
        expect(jobs['deploy-staging'], name).toBeUndefined();
        expect(asList(jobs['deploy-production']!.needs), name).toEqual(['build']);
      }
    }
  });

  it('runs each deploy job in the GitHub environment whose OIDC subject the Terraform deploy role trusts', () => {
    for (const [name, t] of all()) {
      const tfEnvs = JSON.parse(
        /^environments\s*=\s*(\[.*\])$/m.exec(t.read('terraform/terraform.tfvars'))![1]!,
      ) as string[];
      const iam = t.read('terraform/iam.tf');
      expect(iam, name).toContain(':environment:${e}"] }'); // evaluated against GitHub's subjects in oidc-trust.test.ts
      expect(iam, name).toContain(':ref:refs/heads/main"]');
      const jobEnvs = deployJobs(t.wf).map(([, job]) => job.environment);
      expect(jobEnvs, name).toEqual(tfEnvs);
      expect(jobEnvs, name).toEqual(t.ctx.staging ? ['staging', 'production'] : ['production']);
      expect(t.wf.jobs.build!.environment, name).toBeUndefined(); // its subject is ref:refs/heads/main
    }
  });

  it('never overlaps two deployments of one environment and gives them the timeout and role session of the context', () => {
    for (const [name, t] of all()) {
      for (const [jobName, job] of deployJobs(t.wf)) {
        const env = t.ctx.environments.find((e) => `deploy-${e.name}` === jobName)!;
        expect(job.concurrency, name).toEqual({ group: jobName, 'cancel-in-progress': false });
        expect(job['timeout-minutes'], name).toBe(env.timing.jobTimeoutMinutes);
        const creds = stepUsing(job, 'aws-actions/configure-aws-credentials')!;
        expect(creds.with?.['role-to-assume'], name).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
        expect(creds.with?.['role-duration-seconds'], name).toBe(t.ctx.roleSessionSeconds);
        expect(t.ctx.roleSessionSeconds / 60, name).toBeGreaterThanOrEqual(t.ctx.deployTimeoutMinutes);
      }
    }
  });

  it('runs in the test job only the package scripts the app has, with its package manager', () => {
    // The migration lint step has its own test (test/migration-lint.test.ts).
    const runs = (t: Tree): string[] =>
      t.wf.jobs
        .test!.steps.filter((s) => s.run && !s.name?.startsWith('Lint new and changed migrations'))
        .map((s) => s.run!.trim());
    expect(runs(trees.defaults!)).toEqual(['npm ci', 'npm run build', 'npm run test']);
    expect(runs(trees.js!)).toEqual(['npm ci', 'npm run test']);
    expect(runs(trees.adoptPnpm!)).toEqual([
      'corepack enable\necho "COREPACK_DEFAULT_TO_LATEST=0" >> "$GITHUB_ENV"',
      'pnpm install --frozen-lockfile',
      'pnpm run lint',
    ]);
    expect(stepUsing(trees.adoptPnpm!.wf.jobs.test!, 'actions/setup-node')!.with).toMatchObject({
      cache: 'pnpm',
      'node-version': trees.adoptPnpm!.ctx.nodeVersion,
    });
    expect(stepUsing(trees.defaults!.wf.jobs.test!, 'actions/setup-node')!.with).toMatchObject({
      cache: 'npm',
      'node-version-file': '.nvmrc',
    });
  });
});

describe('deployment steps', () => {
  it('runs the migration from the new revision, checks its exit code, and only then updates the service', () => {
    for (const [name, t] of all()) {
      for (const [, job] of deployJobs(t.wf)) {
        const deploy = job.steps.filter((s) => s.uses?.startsWith('aws-actions/amazon-ecs-deploy-task-definition@'));
        expect(deploy, name).toHaveLength(1);
        const w = deploy[0]!.with!;
        expect(w['task-definition'], name).toBe('${{ steps.taskdef.outputs.task-definition }}');
        if (t.ctx.app.migrateCommand === null) {
          expect(w['run-task'], name).toBeUndefined();
          continue;
        }
        expect(w['run-task'], name).toBe(true);
        expect(w['wait-for-task-stopped'], name).toBe(true); // the action then fails on a non-zero exit code
        expect(w['run-task-launch-type'], name).toBe('FARGATE');
        expect(w['run-task-subnets'], name).toBe('${{ vars.PRIVATE_SUBNET_IDS }}');
        expect(w['run-task-security-groups'], name).toBe('${{ vars.TASK_SECURITY_GROUP_ID }}');
        expect(JSON.parse(String(w['run-task-container-overrides'])), name).toEqual([
          { name: t.ctx.containerName, command: t.ctx.app.migrateCommand },
        ]);
      }
    }
  });

  it('deploys the image the build job pushed, by digest', () => {
    for (const [name, t] of all()) {
      // The digest comes from ECR, for a new push and for a re-run alike (run in workflow-steps.test.ts).
      expect(t.wf.jobs.build!.steps.find((s) => s.id === 'push')!.run, name).toContain(
        'echo "image=${REGISTRY}/${REPOSITORY}@${digest}"',
      );
      for (const [jobName, job] of deployJobs(t.wf)) {
        const render = stepUsing(job, 'aws-actions/amazon-ecs-render-task-definition')!;
        expect(render.with, name).toEqual({
          'task-definition': '${{ steps.fill.outputs.task-definition }}',
          'container-name': '${{ env.CONTAINER_NAME }}',
          image: '${{ needs.build.outputs.image }}',
        });
        const fill = job.steps.find((s) => s.id === 'fill')!;
        expect(fill.env?.TASKDEF, name).toBe(`.aws/${jobName.replace('deploy-', 'taskdef.')}.json`);
      }
    }
  });

  it('never uses the aws deploy create-deployment CLI shorthand', () => {
    for (const [name, t] of all()) {
      expect(t.text, name).not.toMatch(/create-deployment/);
      expect(t.text, name).not.toContain('appSpecContent');
    }
  });

  it('waits for the deployment in a step of its own (never the action); the action bounds only the migration', () => {
    for (const [name, t] of all()) {
      for (const [jobName, job] of deployJobs(t.wf)) {
        const env = t.ctx.environments.find((e) => `deploy-${e.name}` === jobName)!;
        const w = stepUsing(job, 'aws-actions/amazon-ecs-deploy-task-definition')!.with!;
        const wait = job.steps.find((s) => s.id === 'wait')!;
        expect(w['wait-for-minutes'], name).toBe(env.timing.actionWaitMinutes);
        expect(w['wait-for-service-stability'], name).toBe(false);
        expect(wait.env?.WAIT_MINUTES, name).toBe(String(env.timing.deploymentWaitMinutes));
        expect(job.steps.indexOf(wait), name).toBe(job.steps.length - 1);
        if (t.ctx.isEcs) {
          expect(wait.run, name).toContain('describe-service-deployments');
          expect(w['codedeploy-appspec'], name).toBeUndefined();
        } else {
          expect(wait.run, name).toContain('aws deploy get-deployment');
          expect(wait.env?.DEPLOYMENT_ID, name).toBe('${{ steps.deploy.outputs.codedeploy-deployment-id }}');
          expect(w['codedeploy-application'], name).toBe('${{ vars.CODEDEPLOY_APPLICATION }}');
          expect(w['codedeploy-deployment-group'], name).toBe('${{ vars.CODEDEPLOY_DEPLOYMENT_GROUP }}');
          const appspec = parse(t.read(String(w['codedeploy-appspec']))) as {
            Resources: Array<{ TargetService: { Properties: Record<string, unknown> } }>;
          };
          expect(appspec.Resources[0]!.TargetService.Properties, name).toEqual({
            TaskDefinition: '<TASK_DEFINITION>',
            LoadBalancerInfo: { ContainerName: t.ctx.containerName, ContainerPort: t.ctx.containerPort },
          });
        }
      }
    }
  });

  it('derives every wait from the phases it covers, and the job timeout from their sum: none cuts another short', () => {
    for (const [name, t] of all()) {
      const b = t.ctx.deployBudget;
      for (const [jobName, job] of deployJobs(t.wf)) {
        const env = t.ctx.environments.find((e) => `deploy-${e.name}` === jobName)!;
        const migration = stepUsing(job, 'aws-actions/amazon-ecs-deploy-task-definition')!.with!;
        const waitMinutes = Number(job.steps.find((s) => s.id === 'wait')!.env!.WAIT_MINUTES);
        const deployment = env.isCanary
          ? b.provisionMinutes + t.ctx.canaryMinutes + t.ctx.rollbackWindowMinutes + b.rollbackMinutes
          : b.provisionMinutes + b.circuitBreakerMinutes + b.rollbackMinutes;
        expect(waitMinutes, name).toBeGreaterThan(deployment);
        const migrationMinutes = migration['run-task'] ? Number(migration['wait-for-minutes']) : 0;
        expect(job['timeout-minutes']!, name).toBeGreaterThan(b.setupMinutes + migrationMinutes + waitMinutes);
        expect(job['timeout-minutes']!, name).toBeLessThanOrEqual(360);
        const seconds = Number(stepUsing(job, 'aws-actions/configure-aws-credentials')!.with!['role-duration-seconds']);
        expect(seconds, name).toBeGreaterThanOrEqual(job['timeout-minutes']! * 60);
      }
    }
  });
});

describe('Slack', () => {
  it('has nothing Slack-related when Slack is off', () => {
    expect(trees.noSlack!.text).not.toMatch(/slack/i);
    expect(trees.noSlack!.wf.jobs.notify).toBeUndefined();
  });

  it('notifies failed tests only for same-repo pull requests, never for Dependabot, and only when the secret is set', () => {
    for (const [name, t] of all().filter(([, x]) => x.ctx.slack)) {
      const step = stepUsing(t.wf.jobs.test!, 'slackapi/slack-github-action')!;
      expect(step.if, name).toBe(
        "failure() && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository && github.event.pull_request.user.login != 'dependabot[bot]' && env.SLACK_CONFIGURED == 'true'",
      );
      expect(step.with, name).toMatchObject({
        webhook: `\${{ secrets.${t.ctx.slackSecretName} }}`,
        'webhook-type': 'incoming-webhook',
      });
      expect(stepUsing(t.wf.jobs.build!, 'slackapi/slack-github-action')!.if, name).toBe(
        "env.SLACK_CONFIGURED == 'true'",
      );
    }
  });

  it('guards every Slack step on its job knowing whether the secret is set (secrets are not allowed in a step if:)', () => {
    for (const [name, t] of all().filter(([, x]) => x.ctx.slack)) {
      for (const [jobName, job] of Object.entries(t.wf.jobs)) {
        const slackSteps = job.steps.filter((s) => s.uses?.startsWith('slackapi/slack-github-action@'));
        if (slackSteps.length === 0) continue;
        expect((job as { env?: Record<string, string> }).env?.SLACK_CONFIGURED, `${name} ${jobName}`).toBe(
          `\${{ secrets.${t.ctx.slackSecretName} != '' }}`,
        );
        for (const s of slackSteps)
          expect(s.if, `${name} ${jobName} ${s.name}`).toContain("env.SLACK_CONFIGURED == 'true'");
      }
    }
  });

  it('sends one summary per push to main from the results of every job, a failed rollback as its own alert', () => {
    for (const [name, t] of all().filter(([, x]) => x.ctx.slack)) {
      const notify = t.wf.jobs.notify!;
      const rollbackFailed = t.ctx.environments
        .map((e) => `needs.deploy-${e.name}.outputs.outcome == 'rollback-failed'`)
        .join(' || ');
      expect(notify.if, name).toBe(
        "always() && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/main'",
      );
      expect(asList(notify.needs), name).toEqual(['test', 'build', ...deployJobs(t.wf).map(([n]) => n)]);
      expect(
        notify.steps.map((s) => s.name),
        name,
      ).toEqual([
        'Deployment succeeded',
        'Rollback failed',
        'Deployment failed or rolled back',
        'Deployment cancelled',
      ]);
      expect(
        notify.steps.map((s) => s.if),
        name,
      ).toEqual([
        "${{ env.SLACK_CONFIGURED == 'true' && !contains(needs.*.result, 'failure') && !contains(needs.*.result, 'cancelled') && needs.deploy-production.result == 'success' }}",
        `\${{ env.SLACK_CONFIGURED == 'true' && (${rollbackFailed}) }}`,
        `\${{ env.SLACK_CONFIGURED == 'true' && contains(needs.*.result, 'failure') && !(${rollbackFailed}) }}`,
        "${{ env.SLACK_CONFIGURED == 'true' && contains(needs.*.result, 'cancelled') && !contains(needs.*.result, 'failure') }}",
      ]);
      // The outcome the notify job reads is the one the wait step writes (workflow-steps.test.ts runs it).
      for (const [, job] of deployJobs(t.wf))
        expect((job as { outputs?: Record<string, string> }).outputs?.outcome, name).toBe(
          '${{ steps.wait.outputs.outcome }}',
        );
    }
  });
});

/** Run one `run:` block with bash, `env` on top of a clean PATH (fakes first). */
function runScript(script: string, env: Record<string, string>, fakeBin?: string): { code: number; out: string } {
  const PATH = [fakeBin, process.env.PATH].filter(Boolean).join(':');
  const r = spawnSync('bash', ['-c', script], { env: { PATH, HOME: tmpdir(), ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('task definitions and the fill step', () => {
  it('renders valid task definitions whose family, logs and container match Terraform and the workflow', () => {
    for (const [name, t] of all()) {
      const main = t.read('terraform/main.tf');
      expect(main, name).toContain('family                   = "${var.name}-${each.key}"');
      expect(main, name).toContain('name              = "/ecs/${var.name}-${each.key}"');
      for (const env of t.ctx.environments) {
        const td = JSON.parse(t.read(`.aws/taskdef.${env.name}.json`)) as {
          family: string;
          containerDefinitions: Array<Json>;
        };
        const c = td.containerDefinitions[0]!;
        expect(td.family, name).toBe(`${t.ctx.serviceName}-${env.name}`);
        expect(c.name, name).toBe(t.wf.env.CONTAINER_NAME);
        expect(c.logConfiguration.options['awslogs-group'], name).toBe(`/ecs/${td.family}`);
        expect(c.healthCheck.command, name).toEqual(t.ctx.app.healthcheckCommand);
        expect(c.readonlyRootFilesystem, name).toBe(true);
        expect(
          (c.secrets ?? []).map((s: { name: string }) => s.name),
          name,
        ).toEqual([...(t.ctx.hasDatabase ? ['DATABASE_URL'] : []), ...(t.ctx.hasCache ? ['REDIS_URL'] : [])]);
      }
    }
  });

  it('fills every <NAME> placeholder from the GitHub variable NAME, and fails on an unset one', () => {
    for (const [name, t] of all()) {
      for (const [jobName, job] of deployJobs(t.wf)) {
        const fill = job.steps.find((s) => s.id === 'fill')!;
        const taskdef = t.read(fill.env!.TASKDEF!);
        const placeholders = [...new Set([...taskdef.matchAll(/"<([A-Z0-9_]+)>"/g)].map((m) => m[1]!))].sort();
        const fromVars = Object.entries(fill.env!)
          .filter(([, v]) => v.startsWith('${{ vars.'))
          .map(([k, v]) => {
            expect(v, name).toBe(`\${{ vars.${k} }}`);
            return k;
          });
        expect(fromVars.sort(), `${name} ${jobName}`).toEqual(placeholders);

        const tmp = mkdtempSync(join(tmpdir(), 'ccp-fill-'));
        const values = Object.fromEntries(placeholders.map((p) => [p, `arn:aws:test:${p.toLowerCase()}`]));
        const base = { TASKDEF: join(t.dir, fill.env!.TASKDEF!), RUNNER_TEMP: tmp, GITHUB_OUTPUT: join(tmp, 'out') };
        const ok = runScript(fill.run!, { ...base, ...values });
        expect(ok.code, ok.out).toBe(0);
        const outFile = /task-definition=(.+)/.exec(readFileSync(base.GITHUB_OUTPUT, 'utf8'))![1]!;
        const filled = readFileSync(outFile, 'utf8');
        expect(filled, name).not.toMatch(/"<[A-Z0-9_]+>"/);
        for (const v of Object.values(values)) expect(filled, name).toContain(`"${v}"`);
        const missing = runScript(fill.run!, { ...base, ...values, [placeholders[0]!]: '' });
        expect(missing.code, name).not.toBe(0);
        expect(missing.out, name).toContain(`GitHub variable ${placeholders[0]} is not set`);
        // A placeholder the step does not declare is never looked up, even when the runner has it set.
        const planted = join(tmp, 'planted.json');
        writeFileSync(planted, readFileSync(base.TASKDEF, 'utf8').replace('"NODE_ENV"', '"<HOME>"'));
        const undeclared = runScript(fill.run!, { ...base, ...values, TASKDEF: planted, HOME: '/home/runner' });
        expect(undeclared.code, name).not.toBe(0);
        expect(undeclared.out, name).toContain('HOME is not a placeholder this step fills');
      }
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  it('builds a non-root, multi-stage image of the chosen Node LTS with production dependencies only', () => {
    for (const [name, t] of all()) {
      const df = t.read('Dockerfile');
      expect(df.split('\n')[0], name).toBe('# syntax=docker/dockerfile:1');
      expect(df, name).toContain(`FROM ${t.ctx.nodeImage} AS base`);
      expect(df.match(/^FROM /gm)!.length, name).toBeGreaterThanOrEqual(3);
      expect(df, name).toMatch(/--omit=dev|--prod\b|--production\b/);
      expect(df, name).toMatch(/^USER node$/m);
      expect(df, name).toContain(`EXPOSE ${t.ctx.containerPort}`);
      expect(df, name).not.toMatch(/^HEALTHCHECK/m);
      const cmd = /^CMD (.+)$/m.exec(df)![1]!;
      expect(JSON.parse(cmd), name).toEqual(t.ctx.app.startCommand);
      expect(df.includes('npm run build') || df.includes('pnpm run build'), name).toBe(t.ctx.app.runBuild);
    }
  });

  it('keeps secrets, git history, local dependencies and infrastructure out of the build context', () => {
    for (const [name, t] of all()) {
      const ignored = t
        .read('.dockerignore')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
      for (const p of [
        '.git',
        '.env',
        '.env.*',
        '*.pem',
        'node_modules',
        'terraform',
        '.terraform',
        'coverage',
        '.aws',
      ]) {
        expect(ignored, `${name} ${p}`).toContain(p);
      }
      expect(ignored.includes('dist'), name).toBe(t.ctx.app.runBuild && t.ctx.app.outDir === 'dist');
      expect(ignored, name).not.toContain('.');
    }
  });
});
