/**
 * Which questions an interactive run asks, and what it shows between them (scripted prompt; the
 * terminal itself is test/prompt-tty.test.ts): questions that do not apply are never asked, advanced
 * ones only after "Customize advanced settings?", Enter leaves an account value as a TODO, and the
 * canary verdict's warnings appear right after the answer they concern.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, cli, mockAsk, tempDir } from './support/cli.js';
import { OPTION_KEYS, OPTION_TABLE } from '../src/options/table.js';
import type { OptionSpec } from '../src/options/spec.js';

const saved = (dir: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;

describe('questions that do not apply are never asked', () => {
  it('an existing service is not asked its language, nor the port it listens on literally', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'package.json'),
      '{ "name": "svc", "main": "app.js", "dependencies": { "express": "^5.1.0" } }\n',
    );
    writeFileSync(
      join(cwd, 'app.js'),
      "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
    );
    const prompts = mockAsk({ customizeAdvanced: true });
    const r = await cli(ACCOUNT_ARGS, cwd, { tty: true, ask: prompts.ask });
    expect(r.code, r.stderr).toBe(0);
    const asked = prompts.calls.map((q) => q.name);
    expect(asked).toContain('customizeAdvanced');
    expect(asked).toContain('cpu');
    expect(asked).not.toContain('language');
    expect(asked).not.toContain('containerPort');
    expect(saved(cwd)).toMatchObject({ language: 'js', containerPort: 3000 });
  });

  it('a VPC left for later leaves its subnets for later: not asked, TODOs in terraform.tfvars', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({ vpcId: '', certificateArn: '', githubRepo: '' });
    const r = await cli(['--service-name', 'web'], cwd, { tty: true, ask: prompts.ask });
    expect(r.code, r.stderr).toBe(0);
    expect(prompts.calls.map((q) => q.name)).toEqual([
      'region',
      'vpcId',
      'certificateArn',
      'githubRepo',
      'deploymentEngine',
      'canary',
      'customizeAdvanced',
      'writeFiles',
    ]);
    const tfvars = readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8');
    for (const name of ['vpc_id', 'public_subnet_ids', 'private_subnet_ids', 'certificate_arn'])
      expect(tfvars).toMatch(new RegExp(`^${name}\\s+= (""|\\[\\])`, 'm'));
    expect(saved(cwd)).not.toHaveProperty('vpcId');
  });

  it('without "Customize advanced settings?" every advanced option takes its default', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({});
    const r = await cli(ACCOUNT_ARGS, cwd, { tty: true, ask: prompts.ask });
    expect(r.code, r.stderr).toBe(0);
    const advanced = OPTION_KEYS.filter((k) => (OPTION_TABLE[k] as OptionSpec<unknown>).advanced);
    expect(prompts.calls.map((q) => q.name).filter((k) => (advanced as string[]).includes(k))).toEqual([]);
    expect(saved(cwd)).toMatchObject({
      cpu: 512,
      memory: 1024,
      expectedRpm: 200,
      rollbackWindowMinutes: 10,
      database: 'postgres',
    });
  });
});

describe('verdicts at the question they concern', () => {
  it('the canary warning is printed after the rollback-window answer, as --yes reports it', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({ customizeAdvanced: true, rollbackWindowMinutes: '0' });
    const r = await cli(ACCOUNT_ARGS, cwd, { tty: true, ask: prompts.ask });
    expect(r.code, r.stderr).toBe(0);
    // On stdout with the questions, before the summary of what is written.
    expect(r.stdout.indexOf('warning: the canary alarm')).toBeGreaterThanOrEqual(0);
    expect(r.stdout.indexOf('warning: the canary alarm')).toBeLessThan(r.stdout.indexOf('About to write'));
    expect(r.stdout).toMatch(
      /warning: the canary alarm looks back \d+ min, longer than --rollback-window-minutes 0 \+ 2/,
    );
    const yes = await cli(['--yes', ...ACCOUNT_ARGS, '--rollback-window-minutes', '0'], tempDir());
    expect(yes.stderr).toContain(r.stdout.match(/warning: (the canary alarm looks back[^\n]*)/)![1]);
  });
});

describe('enum choices', () => {
  it('every choice of every enum option has a one-line description', () => {
    for (const key of OPTION_KEYS) {
      const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
      if (spec.kind !== 'enum') continue;
      expect(Object.keys(spec.choiceHelp ?? {}).sort(), key).toEqual([...(spec.choices ?? [])].sort());
      for (const line of Object.values(spec.choiceHelp!)) expect(line, key).toMatch(/^[^\n]{5,100}$/);
    }
  });
});

describe('--ask', () => {
  it('asks every saved answer again with it as the default; a changed answer is used, the rest kept', async () => {
    const cwd = tempDir();
    expect(
      (
        await cli(
          ['--yes', ...ACCOUNT_ARGS, '--canary-percent', '15', '--no-slack', '--cpu', '1024', '--memory', '2048'],
          cwd,
        )
      ).code,
    ).toBe(0);
    const before = saved(cwd);
    const again = mockAsk({ canary: '15 20' });
    const r = await cli(['--ask'], cwd, { tty: true, ask: again.ask });
    expect(r.code, r.stderr).toBe(0);
    const asked = new Map(again.calls.map((q) => [q.name, q.default]));
    // Every option, no gate (the Slack alerts channel does not apply without its workspace); the pairs as one question each.
    const paired = ['publicSubnetIds', 'privateSubnetIds', 'canaryPercent', 'canaryMinutes'];
    const expected = [
      ...OPTION_KEYS.filter((k) => k !== 'alertsSlackChannelId' && !paired.includes(k)),
      'subnets',
      'canary',
      'writeFiles',
    ];
    expect([...asked.keys()].sort()).toEqual(expected.sort());
    expect(asked.get('canary')).toBe('15% for 10 min');
    expect(asked.get('subnets')).toBe(
      'public: subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002  private: subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
    );
    expect(asked.get('cpu')).toBe('1024');
    expect(asked.get('slackWebhookSecret')).toBe('');
    expect(asked.get('vpcId')).toBe('vpc-0123456789abcdef0');
    expect(saved(cwd)).toEqual({ ...before, canaryMinutes: 20 });
  });

  it('without --ask an unchanged re-run asks nothing; --ask without a terminal is refused', async () => {
    const cwd = tempDir();
    expect((await cli(['--yes', ...ACCOUNT_ARGS], cwd)).code).toBe(0);
    const quiet = mockAsk({});
    const r = await cli([], cwd, { tty: true, ask: quiet.ask });
    expect(r.code, r.stderr).toBe(0);
    expect(quiet.calls).toEqual([]);
    expect(r.stdout).toContain('Nothing to change');
    const noTty = await cli(['--ask'], cwd);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain('--ask asks again on a terminal');
  });
});
