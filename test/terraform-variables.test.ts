/**
 * terraform/variables.tf validation, evaluated by Terraform itself: variables.tf and
 * terraform.tfvars alone form a module without providers, so `terraform plan` runs offline and
 * checks every validation block against the rendered answers (and against bad edits).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawValues } from '../src/options/resolve.js';
import { renderTerraform, TERRAFORM_SCENARIOS } from './support/render-terraform.js';

const root = mkdtempSync(join(tmpdir(), 'ccp-tfvars-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// No CLI config, no version check: nothing may leave the machine.
const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

function terraform(dir: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync('terraform', args, { cwd: dir, env: TF_ENV, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\s+/g, ' ') };
}

const modules = new Map<string, string>();
/** A scratch module of the scenario's variables.tf + terraform.tfvars, initialised once. */
async function variablesModule(flags: RawValues, placeholders = false): Promise<string> {
  const key = JSON.stringify([flags, placeholders]);
  const cached = modules.get(key);
  if (cached) return cached;
  const r = await renderTerraform(flags, placeholders);
  const dir = join(root, String(modules.size));
  modules.set(key, dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'variables.tf'), r.files.get('variables.tf')!);
  writeFileSync(join(dir, 'terraform.tfvars'), r.files.get('terraform.tfvars')!);
  const init = terraform(dir, ['init', '-input=false', '-backend=false', '-no-color']);
  expect(init.status, init.out).toBe(0);
  return dir;
}

const plan = (dir: string, vars: string[] = []): { status: number | null; out: string } =>
  terraform(dir, ['plan', '-input=false', '-lock=false', '-no-color', ...vars.map((v) => `-var=${v}`)]);

describe('terraform/variables.tf validation (terraform plan, offline)', () => {
  it.each(Object.keys(TERRAFORM_SCENARIOS))('accepts the rendered answers: %s', async (name) => {
    const dir = await variablesModule(TERRAFORM_SCENARIOS[name]!);
    const r = plan(dir);
    expect(r.out).toContain('No changes');
    expect(r.status).toBe(0);
  });

  it('stops a --yes render with placeholders until each one is filled in', async () => {
    const dir = await variablesModule({}, true);
    const r = plan(dir);
    expect(r.status).not.toBe(0);
    for (const v of ['vpc_id', 'public_subnet_ids', 'certificate_arn', 'github_org', 'github_repo']) {
      expect(r.out).toMatch(new RegExp(`${v} (must|needs)`));
    }
  });

  const ecsEdits: Array<[string, string[], string]> = [
    ['a region outside the list', ['region=xx-east-9'], 'region must'],
    ['a certificate from another region', ['region=us-east-1'], 'certificate_arn must'],
    ['environments without production', ['environments=["staging"]'], 'environments may only'],
    ['an unknown environment', ['environments=["qa","production"]'], 'environments may only'],
    ['memory that does not fit the cpu', ['memory=512'], 'memory is not a valid'],
    ['a cpu Fargate does not offer', ['cpu=300'], 'cpu must'],
    ['an ECS canary percent off the 0.1 grid', ['canary_percent=2.55'], 'canary_percent must'],
    ['an ECS canary window beyond 1440', ['canary_minutes=1441'], 'canary_minutes must'],
    ['a privileged container port', ['container_port=80'], 'container_port must'],
    [
      'a mutable bootstrap tag',
      ['bootstrap_image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:latest'],
      'bootstrap_image must',
    ],
    ['one GitHub id without the other', ['github_repo_id='], 'Set github_owner_id and github_repo_id together'],
    ['a GitHub owner id that is not a number', ['github_owner_id=acme'], 'github_owner_id must'],
    ['a staging strategy that does not exist', ['staging_strategy=blue-green'], 'staging_strategy must'],
    ['a test CIDR that is not one', ['test_traffic_cidrs=["office"]'], 'test_traffic_cidrs must'],
  ];
  it.each(ecsEdits)('rejects %s (ecs)', async (_what, vars, message) => {
    const dir = await variablesModule({});
    const r = plan(dir, vars);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(message);
  });

  it('accepts an ECS canary percent on the 0.1 grid and a bootstrap image by digest', async () => {
    const dir = await variablesModule({});
    const digest = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`;
    const r = plan(dir, ['canary_percent=2.5', `bootstrap_image=${digest}`]);
    expect(r.out).toContain('No changes');
  });

  it('holds a custom CodeDeploy canary to whole percents 1-99', async () => {
    const dir = await variablesModule(
      TERRAFORM_SCENARIOS['codedeploy 25 % / 12 min, staging, database and cache off']!,
    );
    expect(plan(dir, ['canary_percent=2.5']).out).toContain('canary_percent must');
    expect(plan(dir, ['canary_percent=100']).out).toContain('canary_percent must');
    expect(plan(dir, ['canary_minutes=2880']).out).toContain('No changes');
  });
});
