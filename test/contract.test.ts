/**
 * The deployment contract is declared once (src/context/contract.ts): one row added to the secrets
 * table (or the variables table) reaches every output that must carry it — the Secrets Manager
 * secret, the execution role's policy, the container's secrets in Terraform and in the task
 * definitions, the Terraform outputs the GitHub variables are set from, the workflow's variable
 * check and placeholder fill, and the docs' commands and table. The rendered tree with the extra
 * row still passes the validation harness (Terraform references resolve, the workflow lints).
 */
import type { Json } from './support/render-terraform.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  contractContext,
  SECRETS,
  VARIABLES,
  type ContractInputs,
  type SecretDecl,
  type VariableDecl,
} from '../src/context/contract.js';
import type { RenderContext } from '../src/context/build-context.js';
import { newRepoFacts } from '../src/detect/facts.js';
import { planFiles } from '../src/plan/plan-files.js';
import { isRendered } from '../src/plan/file-spec.js';
import { renderFile } from '../src/plan/render.js';
import { contextFor } from './support/render-tree.js';
import { formatFindings, validateTree } from './validate/index.js';

const SESSION: SecretDecl = {
  name: 'SESSION_KEY',
  resource: 'session_key',
  slug: 'session-key',
  example: () => 'a 64-character hex string',
  when: () => true,
};
const FLAGS_TABLE: VariableDecl = {
  name: 'FEATURE_FLAGS_TABLE',
  scope: 'environment',
  terraform: 'aws_ecs_cluster.this[e].name',
  readBy: 'deploy',
  doc: () => 'Table of the feature flags.',
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Render the default new-repo tree with the contract tables extended in memory. */
function renderWith(
  secrets: readonly SecretDecl[],
  variables: readonly VariableDecl[] | typeof VARIABLES = VARIABLES,
): { dir: string; ctx: RenderContext; read: (p: string) => string } {
  const base = contextFor({});
  const inputs: ContractInputs = {
    hasDatabase: base.hasDatabase,
    hasCache: base.hasCache,
    hasMigration: base.app.migrateCommand !== null,
    isCodeDeploy: base.isCodeDeploy,
    databaseUrlExample: base.database.urlExample,
    environments: base.environmentNames,
  };
  const ctx: RenderContext = { ...base, ...contractContext(inputs, secrets, variables) };
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  dirs.push(dir);
  for (const spec of planFiles(ctx, newRepoFacts('api')).filter(isRendered)) {
    mkdirSync(dirname(join(dir, spec.path)), { recursive: true });
    writeFileSync(join(dir, spec.path), renderFile(spec, ctx));
  }
  return { dir, ctx, read: (p) => readFileSync(join(dir, p), 'utf8') };
}

const hcl = async (text: string, name = 'x.tf'): Promise<Json> => (await parseHcl(name, text)) as Json;

describe('adding one secret to the table', () => {
  const { dir, ctx, read } = renderWith([...SECRETS, SESSION]);
  const envs = ctx.environments.map((e) => e.name);

  it('creates its secret per environment and lets only the execution role read it', async () => {
    const secrets = (await hcl(read('terraform/secrets.tf'))).resource.aws_secretsmanager_secret;
    expect(secrets.session_key[0].name).toBe('${var.name}/${each.key}/session-key');
    const policy = (await hcl(read('terraform/iam.tf'))).resource.aws_iam_role_policy.execution_secrets[0].policy;
    expect(policy).toMatch(
      /Resource = \[\n(\s*aws_secretsmanager_secret\.\w+\[each\.key\]\.arn,\n)*\s*aws_secretsmanager_secret\.session_key\[each\.key\]\.arn\s*\]/,
    );
  });

  it('hands it to the container in Terraform and in every task definition, by the placeholder the workflow fills', async () => {
    expect(read('terraform/main.tf')).toMatch(
      /\{ name = "SESSION_KEY", valueFrom = aws_secretsmanager_secret\.session_key\[each\.key\]\.arn \}/,
    );
    for (const env of envs) {
      const def = JSON.parse(read(`.aws/taskdef.${env}.json`)) as Json;
      expect(def.containerDefinitions[0].secrets).toContainEqual({
        name: 'SESSION_KEY',
        valueFrom: '<SESSION_KEY_SECRET_ARN>',
      });
    }
  });

  it('outputs its ARN as a GitHub environment variable and in secret_arns', async () => {
    const out = (await hcl(read('terraform/outputs.tf'))).output;
    // hcl2json keeps `for` expressions as text: one `NAME = expression` line per entry.
    expect(out.github_environment_variables[0].value).toMatch(
      /\n\s*SESSION_KEY_SECRET_ARN\s+= aws_secretsmanager_secret\.session_key\[e\]\.arn\n/,
    );
    expect(out.secret_arns[0].value).toMatch(/\n\s*SESSION_KEY\s+= aws_secretsmanager_secret\.session_key\[e\]\.arn\n/);
  });

  it('makes the deploy job check the variable and fill the placeholder, which fails without it', () => {
    const wf = parseYaml(read('.github/workflows/deploy.yml')) as Json;
    for (const env of envs) {
      const steps: Json[] = wf.jobs[`deploy-${env}`].steps;
      expect(steps[0].env.REQUIRED.split(' ')).toContain('SESSION_KEY_SECRET_ARN');
      expect(steps[0].env.SESSION_KEY_SECRET_ARN).toBe('${{ vars.SESSION_KEY_SECRET_ARN }}');
      const fill = steps.find((s) => s.id === 'fill')!;
      const run = (vars: Record<string, string>): string => {
        const tmp = mkdtempSync(join(tmpdir(), 'contract-fill-'));
        dirs.push(tmp);
        execFileSync('bash', ['-c', fill.run], {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            TASKDEF: `.aws/taskdef.${env}.json`,
            RUNNER_TEMP: tmp,
            GITHUB_OUTPUT: join(tmp, 'out'),
            ...vars,
          },
          stdio: 'pipe',
        });
        return readFileSync(join(tmp, 'taskdef.json'), 'utf8');
      };
      const all = Object.fromEntries(ctx.taskdefPlaceholders.map((n) => [n, `arn:aws:test:${n}`]));
      expect(ctx.taskdefPlaceholders).toContain('SESSION_KEY_SECRET_ARN');
      const filled = JSON.parse(run(all)) as Json;
      expect(filled.containerDefinitions[0].secrets).toContainEqual({
        name: 'SESSION_KEY',
        valueFrom: 'arn:aws:test:SESSION_KEY_SECRET_ARN',
      });
      const { SESSION_KEY_SECRET_ARN: _, ...missing } = all;
      expect(() => run(missing)).toThrow(/GitHub variable SESSION_KEY_SECRET_ARN is not set/);
    }
  });

  it('puts it in the docs: the file table, the first apply, the put-secret-value commands and the variable table', () => {
    const doc = read('docs/DEPLOYMENT.md');
    expect(doc).toMatch(/Secrets Manager secrets for `DATABASE_URL` and `REDIS_URL` and `SESSION_KEY`/);
    expect(doc).toContain('-target=aws_secretsmanager_secret.session_key\n');
    for (const env of envs) {
      expect(doc).toContain(`jq -r '.${env}.SESSION_KEY')" --secret-string "$${env.toUpperCase()}_SESSION_KEY"`);
    }
    expect(doc).toContain(
      '| `SESSION_KEY_SECRET_ARN` | environment | Fills `<SESSION_KEY_SECRET_ARN>` in the task definition. |',
    );
  });

  it('still passes the validation harness (references, schema, fmt, workflow lint)', async () => {
    expect(formatFindings(await validateTree(dir))).toBe('');
  }, 240_000);
});

describe('adding one GitHub variable to the table', () => {
  const i = VARIABLES.findIndex((v) => v !== 'secret ARNs' && v.name === 'ECS_SERVICE');
  const { read } = renderWith(SECRETS, [...VARIABLES.slice(0, i + 1), FLAGS_TABLE, ...VARIABLES.slice(i + 1)]);

  it('outputs it, checks it in every deploy job and documents it', async () => {
    const out = (await hcl(read('terraform/outputs.tf'))).output;
    expect(out.github_environment_variables[0].value).toMatch(
      /\n\s*FEATURE_FLAGS_TABLE\s+= aws_ecs_cluster\.this\[e\]\.name\n/,
    );
    const wf = parseYaml(read('.github/workflows/deploy.yml')) as Json;
    const deployJobs = Object.keys(wf.jobs).filter((j) => j.startsWith('deploy-'));
    expect(deployJobs.length).toBeGreaterThan(0);
    for (const job of deployJobs)
      expect(wf.jobs[job].steps[0].env.REQUIRED.split(' ')).toContain('FEATURE_FLAGS_TABLE');
    expect(read('docs/DEPLOYMENT.md')).toContain(
      '| `FEATURE_FLAGS_TABLE` | environment | Table of the feature flags. |',
    );
  });
});
