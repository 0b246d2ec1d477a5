/**
 * The Yeoman door (generators/app) under yeoman-test: flags as `yo` passes them, prompts through
 * Yeoman's adapter, the typed result on the generator, and the same files as the `npm create` door.
 * The last block runs the built bundle (dist/generators/app) through yeoman-environment by path, as
 * `yo ./node_modules/create-canary-pipeline/dist/generators/app` does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import Generator from 'yeoman-generator';
import { createEnv } from 'yeoman-environment';
import CanaryPipelineGenerator, { type CanaryPipelineResult } from '../generators/app/index.js';
import { ACCOUNT_ARGS, cli, listFiles, mockAsk, tempDir } from './support/cli.js';
import { DEFAULT_SCENARIO, scenarioGolden } from './support/goldens.js';
import { STATE_DIR } from '../src/regen/state.js';
import { TYPE_IT } from '../src/cli/prompt.js';

const root = new URL('..', import.meta.url).pathname;

function expectGolden(dir: string): void {
  const golden = scenarioGolden(DEFAULT_SCENARIO);
  // The upgrade base (.create-canary-pipeline/) is binary, not a golden: scenarios.test.ts checks it.
  expect(listFiles(dir).filter((f) => !f.startsWith(`${STATE_DIR}/`))).toEqual([...golden.keys()]);
  for (const [f, text] of golden) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text);
}

/** The typed result the generator exposes once it has run. */
function resultOf(run: { generator: unknown }): CanaryPipelineResult {
  const result = (run.generator as CanaryPipelineGenerator).result;
  if (!result) throw new Error('the generator finished without a result');
  return result;
}

const ANSWERS = {
  vpcId: 'vpc-0123456789abcdef0',
  subnets:
    'public: subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002  private: subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
  githubRepo: 'acme/web',
  canary: '20% for 10 min',
};

/** What the prompt adapter was asked (the whole question), each answer checked by the question's own rule as a real prompt would. */
function recording(): {
  seen: Array<Record<string, unknown>>;
  callback: (answer: unknown, o: { question: Record<string, unknown> }) => unknown;
} {
  const seen: Array<Record<string, unknown>> = [];
  return {
    seen,
    callback: (given, { question }) => {
      seen.push(question);
      // Enter on a text question without a default gives '' (yeoman-test gives undefined).
      const answer = given === undefined && question.type === 'input' ? '' : given;
      const verdict =
        typeof question.validate === 'function' ? (question.validate as (a: unknown) => unknown)(answer) : true;
      if (verdict !== true)
        throw new Error(`answer ${JSON.stringify(answer)} to ${String(question.name)} refused: ${String(verdict)}`);
      return answer;
    },
  };
}

/** Everything the generator logs, as lines. */
function logged(lines: string[]): (gen: unknown) => void {
  return (gen) => {
    (gen as { log: unknown }).log = (text: string) => void lines.push(...String(text).split('\n'));
  };
}

describe('the Yeoman generator (yeoman-test)', () => {
  it('--yes --example writes exactly the files of the npm create door, and returns a typed result', async () => {
    const run = await helpers.run(CanaryPipelineGenerator).withArguments(['--yes', '--example']);
    expectGolden(run.cwd);
    const result = resultOf(run);
    expect(result.report.code).toBe(0);
    expect(result.resolution.options).toMatchObject({ serviceName: 'api', canaryPercent: 10, deploymentEngine: 'ecs' });
    expect(result.generated.outcomes.filter((o) => o.action === 'create').length).toBe(
      scenarioGolden(DEFAULT_SCENARIO).size - 1,
    );
  });

  it('flags as options (withOptions) work too, and --no-slack turns Slack off', async () => {
    const run = await helpers
      .run(CanaryPipelineGenerator)
      .withOptions({ yes: true, example: true, slack: false, 'canary-percent': '20' } as never);
    expect(resultOf(run).resolution.options).toMatchObject({ slackWebhookSecret: null, canaryPercent: 20 });
    expect(readFileSync(join(run.cwd, '.github/workflows/deploy.yml'), 'utf8')).not.toMatch(/slack/i);
  });

  it('interactive: the same questions as the npm create door, in the same order, through Yeoman’s prompt', async () => {
    const answers = { ...ANSWERS, customizeAdvanced: true };
    const rec = recording();
    const run = await helpers
      .run(CanaryPipelineGenerator)
      .withArguments(['--interactive', '--service-name', 'web'])
      .withAnswers(answers, { callback: rec.callback });
    // The CLI's flow with the same answers: essentials, the gate, the advanced ones, the confirm.
    const prompts = mockAsk(answers);
    const viaCli = await cli(['--service-name', 'web'], tempDir(), { tty: true, ask: prompts.ask });
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(prompts.calls.map((q) => q.name)).toContain('customizeAdvanced');
    expect(run.askedQuestions.map((q) => q.name)).toEqual(prompts.calls.map((q) => q.name));
    expect(rec.seen.map((q) => [q.name, q.type, q.message])).toEqual(
      prompts.calls.map((q) => [q.name, q.type, q.message]),
    );
    const state = JSON.parse(readFileSync(join(run.cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'];
    expect(state.answers).toMatchObject({
      serviceName: 'web',
      githubRepo: 'acme/web',
      canaryPercent: 20,
      canaryMinutes: 10,
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60003', 'subnet-0a1b2c3d4e5f60004'],
    });
  });

  it('interactive: advanced settings wait behind the gate; the summary precedes "Write these files?", and no writes nothing', async () => {
    const lines: string[] = [];
    const ctx = helpers
      .run(CanaryPipelineGenerator)
      .withArguments(['--interactive', '--service-name', 'web'])
      .withAnswers({ ...ANSWERS, canary: '5 20', writeFiles: false })
      .onGenerator(logged(lines));
    const run = await ctx;
    const asked = run.askedQuestions.map((q) => q.name);
    expect(asked).toEqual([
      'region',
      'vpcId',
      'subnets',
      'certificateArn',
      'githubRepo',
      'deploymentEngine',
      'canary',
      'customizeAdvanced',
      'writeFiles',
    ]);
    // What was understood and the canary verdict's warning at the canary question, then the summary.
    const at = (text: string): number => lines.findIndex((l) => l.includes(text));
    expect(at('the canary gets 5% of the traffic for 20 min')).toBeGreaterThanOrEqual(0);
    expect(at('warning: the canary alarm looks back')).toBeGreaterThan(at('the canary gets 5%'));
    expect(at('About to write into the current folder:')).toBeGreaterThan(at('warning: the canary alarm looks back'));
    expect(lines[at('About to write') + 1]).toMatch(/^Canary: Detection at 200 requests\/min/);
    expect(lines[at('About to write') + 2]).toMatch(/^Cost: about \d+\.\d\d USD a month/);
    expect(lines).toContain('Nothing was written.');
    expect(listFiles(run.cwd)).toEqual([]);
    expect((run.generator as CanaryPipelineGenerator).result).toBeUndefined();
  });

  it('an invalid flag fails before any question, naming the flag, with nothing written', async () => {
    const ctx = helpers
      .run(CanaryPipelineGenerator)
      .withArguments(['--interactive', '--canary-percent', '0'])
      .withAnswers(ANSWERS);
    await expect(ctx).rejects.toThrow(/--canary-percent/);
    expect(ctx.askedQuestions ?? []).toEqual([]);
    expect(listFiles(ctx.targetDirectory!)).toEqual([]);
  });

  it('without a terminal it never prompts: every missing value is reported at once, nothing written', async () => {
    const ctx = helpers.run(CanaryPipelineGenerator).withArguments(['--no-interactive']).withAnswers(ANSWERS);
    const err = await ctx.then(
      () => undefined,
      (e: Error) => e,
    );
    for (const flag of ['--vpc-id', '--public-subnets', '--private-subnets', '--certificate-arn', '--github-repo'])
      expect(err?.message).toContain(`${flag}: missing`);
    expect(listFiles(ctx.targetDirectory!)).toEqual([]);
  });

  it('a re-run with a changed option regenerates, keeping the saved answers', async () => {
    const dir = tempDir('ccp-yo-rerun-');
    await helpers
      .run(CanaryPipelineGenerator)
      .cd(dir)
      .withArguments(['--yes', '--service-name', 'api', ...ACCOUNT_ARGS]);
    const again = await helpers.run(CanaryPipelineGenerator).cd(dir).withArguments(['--yes', '--canary-percent', '25']);
    expect(resultOf(again).resolution.options).toMatchObject({
      serviceName: 'api',
      githubRepo: 'acme/api',
      canaryPercent: 25,
    });
    expect(resultOf(again).generated.outcomes.some((o) => o.action === 'update')).toBe(true);
  });
});

describe('the AWS look-ups in the Yeoman door', () => {
  // The real aws CLI against a loopback EC2/ACM mock is test/aws-lookups.test.ts; here the door's wiring
  // only, with a stand-in `aws` on PATH that prints what the CLI prints (the real one needs seconds to
  // start, too close to the look-up's 10 s limit on a loaded machine).
  const vpc = 'vpc-0aaaaaaaaaaaaaaa1';
  const sub = (n: number): string => `subnet-0${String(n).repeat(16)}`;
  const outputs: Record<string, unknown> = {
    'describe-vpcs': { Vpcs: [{ VpcId: vpc, CidrBlock: '10.0.0.0/16', IsDefault: false }] },
    'describe-subnets': {
      Subnets: [1, 2, 3, 4].map((n) => ({
        SubnetId: sub(n),
        VpcId: vpc,
        AvailabilityZone: `eu-west-1${'abab'[n - 1]}`,
        CidrBlock: `10.0.${n}.0/24`,
      })),
    },
    'describe-route-tables': {
      RouteTables: [
        {
          VpcId: vpc,
          Associations: [
            { SubnetId: sub(1), Main: false },
            { SubnetId: sub(2), Main: false },
          ],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0123', State: 'active' }],
        },
        {
          VpcId: vpc,
          Associations: [{ Main: true }],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0123', State: 'active' }],
        },
      ],
    },
    'list-certificates': {
      CertificateSummaryList: [
        { CertificateArn: ANSWERS.certificateArn, DomainName: 'api.example.com', Status: 'ISSUED' },
      ],
    },
  };

  it('offers the account’s VPCs, the VPC’s subnets (one checkbox, labelled) and certificates as choices, as the CLI does', async () => {
    const bin = tempDir('ccp-yo-aws-');
    const calls = join(bin, 'calls');
    const cases = Object.entries(outputs)
      .map(([op, out]) => `  ${op}) echo '${JSON.stringify(out)}' ;;`)
      .join('\n');
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\necho "$1 $2" >> '${calls}'\ncase "$2" in\n${cases}\n  *) exit 1 ;;\nesac\n`,
      { mode: 0o755 },
    );
    const saved = { ...process.env };
    Object.assign(process.env, {
      PATH: `${bin}:${process.env.PATH}`,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      HOME: tempDir(),
    });
    try {
      const rec = recording();
      const lines: string[] = [];
      const picked = [`public:${sub(1)}`, `public:${sub(2)}`, `private:${sub(3)}`, `private:${sub(4)}`];
      const run = await helpers
        .run(CanaryPipelineGenerator)
        .withArguments(['--interactive', '--service-name', 'web'])
        .withAnswers({ ...ANSWERS, vpcId: vpc, subnets: picked }, { callback: rec.callback })
        .onGenerator(logged(lines));
      const q = Object.fromEntries(rec.seen.map((c) => [c.name, c]));
      const values = (name: string): unknown[] =>
        ((q[name]!.choices ?? []) as Array<{ value: unknown }>).map((c) => c.value);
      expect(lines).toContain(
        'Looking up VPCs, subnets and certificates of eu-west-1 in your AWS account (read-only, at most 10 s)…',
      );
      expect(q.vpcId!.type, lines.join('\n')).toBe('select');
      expect(values('vpcId')).toEqual([vpc, TYPE_IT, '']);
      expect(q.subnets!.type).toBe('checkbox');
      expect(values('subnets')).toEqual([...picked, TYPE_IT]);
      expect(values('certificateArn')).toEqual([ANSWERS.certificateArn, TYPE_IT, '']);
      const state = JSON.parse(readFileSync(join(run.cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'];
      expect(state.answers).toMatchObject({
        vpcId: vpc,
        publicSubnetIds: [sub(1), sub(2)],
        privateSubnetIds: [sub(3), sub(4)],
      });
      // One look-up for the region, shared by the questions.
      expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
        'acm list-certificates',
        'ec2 describe-route-tables',
        'ec2 describe-subnets',
        'ec2 describe-vpcs',
      ]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
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
