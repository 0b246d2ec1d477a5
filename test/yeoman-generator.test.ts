/**
 * The Yeoman door (generators/app) under yeoman-test: flags as `yo` passes them, prompts through
 * Yeoman's adapter, the typed result on the generator, and the same files as the `npm create` door.
 * The last block runs the built bundle (dist/generators/app) through yeoman-environment by path, as
 * `yo ./node_modules/create-canary-pipeline/dist/generators/app` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import Generator from 'yeoman-generator';
import { createEnv } from 'yeoman-environment';
import CanaryPipelineGenerator, { type CanaryPipelineResult } from '../generators/app/index.js';
import { keysToPrompt } from '../src/options/resolve.js';
import { OPTION_TABLE, type OptionKey } from '../src/options/table.js';
import type { OptionSpec } from '../src/options/spec.js';
import { ACCOUNT_ARGS, listFiles, tempDir } from './support/cli.js';
import { STATE_DIR } from '../src/regen/state.js';

const root = new URL('..', import.meta.url).pathname;
const GOLDEN = join(root, 'test/scenarios/defaults-ecs/expected');

function expectGolden(dir: string): void {
  // The upgrade base (.create-canary-pipeline/) is binary, not a golden: scenarios.test.ts checks it.
  expect(listFiles(dir).filter((f) => !f.startsWith(`${STATE_DIR}/`))).toEqual(listFiles(GOLDEN));
  for (const f of listFiles(GOLDEN)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(GOLDEN, f), 'utf8'));
}

/** The typed result the generator exposes once it has run. */
function resultOf(run: { generator: unknown }): CanaryPipelineResult {
  const result = (run.generator as CanaryPipelineGenerator).result;
  if (!result) throw new Error('the generator finished without a result');
  return result;
}

const ANSWERS = {
  vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
  privateSubnetIds: 'subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
  githubRepo: 'acme/web', canaryPercent: '20',
};

describe('the Yeoman generator (yeoman-test)', () => {
  it('--yes --example writes exactly the files of the npm create door, and returns a typed result', async () => {
    const run = await helpers.run(CanaryPipelineGenerator).withArguments(['--yes', '--example']);
    expectGolden(run.cwd);
    const result = resultOf(run);
    expect(result.report.code).toBe(0);
    expect(result.resolution.options).toMatchObject({ serviceName: 'api', canaryPercent: 10, deploymentEngine: 'ecs' });
    expect(result.generated.outcomes.filter((o) => o.action === 'create').length).toBe(listFiles(GOLDEN).length - 1);
  });

  it('flags as options (withOptions) work too, and --no-slack turns Slack off', async () => {
    const run = await helpers.run(CanaryPipelineGenerator).withOptions({ yes: true, example: true, slack: false, 'canary-percent': '20' } as never);
    expect(resultOf(run).resolution.options).toMatchObject({ slackWebhookSecret: null, canaryPercent: 20 });
    expect(readFileSync(join(run.cwd, '.github/workflows/deploy.yml'), 'utf8')).not.toMatch(/slack/i);
  });

  it('interactive: asks exactly the options without a flag, through Yeoman’s prompt, and uses the answers', async () => {
    const run = await helpers.run(CanaryPipelineGenerator).withArguments(['--interactive', '--service-name', 'web']).withAnswers(ANSWERS);
    // Essentials first, then the advanced ones (Yeoman's prompt has no "Customize advanced settings?");
    // the Slack alerts channel does not apply without an alerts workspace.
    const keys = keysToPrompt({ serviceName: 'web' }, undefined).filter((k) => k !== 'alertsSlackChannelId');
    const advanced = (k: OptionKey): boolean => (OPTION_TABLE[k] as OptionSpec<unknown>).advanced === true;
    expect(run.askedQuestions.map((q) => q.name)).toEqual([...keys.filter((k) => !advanced(k)), ...keys.filter(advanced)]);
    const state = JSON.parse(readFileSync(join(run.cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'];
    expect(state.answers).toMatchObject({ serviceName: 'web', githubRepo: 'acme/web', canaryPercent: 20 });
  });

  it('an invalid flag fails before any question, naming the flag, with nothing written', async () => {
    const ctx = helpers.run(CanaryPipelineGenerator).withArguments(['--interactive', '--canary-percent', '0']).withAnswers(ANSWERS);
    await expect(ctx).rejects.toThrow(/--canary-percent/);
    expect(ctx.askedQuestions ?? []).toEqual([]);
    expect(listFiles(ctx.targetDirectory!)).toEqual([]);
  });

  it('without a terminal it never prompts: every missing value is reported at once, nothing written', async () => {
    const ctx = helpers.run(CanaryPipelineGenerator).withArguments(['--no-interactive']).withAnswers(ANSWERS);
    const err = await ctx.then(() => undefined, (e: Error) => e);
    for (const flag of ['--vpc-id', '--public-subnets', '--private-subnets', '--certificate-arn', '--github-repo']) expect(err?.message).toContain(`${flag}: missing`);
    expect(listFiles(ctx.targetDirectory!)).toEqual([]);
  });

  it('a re-run with a changed option regenerates, keeping the saved answers', async () => {
    const dir = tempDir('ccp-yo-rerun-');
    await helpers.run(CanaryPipelineGenerator).cd(dir).withArguments(['--yes', '--service-name', 'api', ...ACCOUNT_ARGS]);
    const again = await helpers.run(CanaryPipelineGenerator).cd(dir).withArguments(['--yes', '--canary-percent', '25']);
    expect(resultOf(again).resolution.options).toMatchObject({ serviceName: 'api', githubRepo: 'acme/api', canaryPercent: 25 });
    expect(resultOf(again).generated.outcomes.some((o) => o.action === 'update')).toBe(true);
  });
});

describe('composed from another generator', () => {
  it('composeWith(<path of the built generator>, options) runs it in the parent’s folder', async () => {
    class Parent extends Generator {
      async initializing(): Promise<void> {
        await this.composeWith(join(root, 'dist/generators/app/index.js'), { yes: true, example: true } as never);
      }
    }
    const run = await helpers.run(Parent);
    expectGolden(run.cwd);
  });
});

describe('the built generator, run by path as yo does', () => {
  it('dist/generators/app scaffolds with --yes --example', async () => {
    const cwd = tempDir('ccp-yo-');
    const env = createEnv({ cwd, skipInstall: true } as never);
    await env.run([join(root, 'dist/generators/app'), '--yes', '--example'] as never);
    expect(existsSync(join(cwd, 'terraform/main.tf'))).toBe(true);
    expectGolden(cwd);
  });
});
