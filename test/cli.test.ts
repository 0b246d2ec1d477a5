import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, cli, listFiles, mockAsk, tempDir } from './support/cli.js';
import { OPTION_KEYS, OPTION_TABLE, type OptionKey } from '../src/options/table.js';
import { buildQuestions } from '../src/cli/questions.js';
import { CLI_SWITCHES, parseCli } from '../src/cli/args.js';
import { keysToPrompt } from '../src/options/resolve.js';
import { CAUGHT_LABEL } from '../src/cli/report.js';

describe('--help and --version', () => {
  it('lists every option flag of the table and every run-mode switch', async () => {
    const r = await cli(['--help'], tempDir());
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    for (const key of OPTION_KEYS) {
      const spec = OPTION_TABLE[key];
      expect(r.stdout).toContain(`--${spec.flag}`);
      expect(flat).toContain(spec.help.replace(/\s+/g, ' '));
      if ('negatedFlag' in spec && spec.negatedFlag) expect(r.stdout).toContain(`--${spec.negatedFlag}`);
    }
    for (const s of CLI_SWITCHES) expect(r.stdout).toContain(`--${s.flag}`);
  });
  it('fits 80 columns, groups the options (essentials, canary, service, run modes) and ends with examples that parse', async () => {
    const r = await cli(['--help'], tempDir());
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const essentials = 'Essentials (asked first; the rest after "Customize advanced settings?"):';
    const headings = [essentials, 'Canary and deployment:', 'Service and task:', 'Run modes:', 'Examples:'];
    const at = headings.map((h) => lines.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const section = (h: string): string =>
      lines
        .slice(
          lines.indexOf(h),
          lines.findIndex((l, i) => i > lines.indexOf(h) && l === ''),
        )
        .join('\n');
    // Essentials are exactly what the prompt asks before the gate (the pairs count as their two options).
    const beforeGate = buildQuestions(OPTION_KEYS, {}, { folderName: 'api' })
      .filter((q) => !q.advanced)
      .flatMap((q) => q.sets ?? [q.name as OptionKey]);
    const flagsIn = (h: string): string[] => [...section(h).matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]!);
    expect(flagsIn(essentials).sort()).toEqual(beforeGate.map((k) => OPTION_TABLE[k].flag).sort());
    expect(flagsIn(essentials)).toContain('canary-percent');
    expect(flagsIn(essentials)).not.toContain('github-owner-id');
    expect(section('Canary and deployment:')).toContain('--github-owner-id');
    expect(section('Canary and deployment:')).toContain('--rollback-window-minutes');
    expect(section('Service and task:')).toContain('--cpu');
    expect(section('Run modes:')).toContain('--ask');
    const examples = section('Examples:')
      .split('\n')
      .filter((l) => l.startsWith('  npm create canary-pipeline@latest'));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const e of examples) {
      const words = e
        .trim()
        .split(/\s+/)
        .slice(3)
        .filter((w) => w !== '--');
      expect(() => parseCli(words), e).not.toThrow();
    }
  });

  it('an unknown flag: "did you mean" the nearest one, exit 1, nothing written', async () => {
    const cwd = tempDir();
    const r = await cli(['--canary-percnt', '5', '--stagin', '--zzz', '--yes'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"--canary-percnt" is not an option: did you mean --canary-percent? (see --help)');
    expect(r.stderr).toContain('"--stagin" is not an option: did you mean --staging?');
    expect(r.stderr).toContain('"--zzz" is not an option (see --help)');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await cli(['--version'], tempDir());
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

describe('non-interactive runs', () => {
  it('writes the stack and .yo-rc.json with the issue example command', async () => {
    const cwd = tempDir();
    const r = await cli(['out', '--yes', ...ACCOUNT_ARGS], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = listFiles(join(cwd, 'out'));
    expect(files).toContain('.yo-rc.json');
    expect(files).toContain('.github/workflows/deploy.yml');
    expect(files).toContain('terraform/main.tf');
    expect(r.stdout).toMatch(/Next steps, to paste[^\n]*\n {2}cd out\/\n {2}npm install {2}#[^\n]*\n {2}# 1\. /);
    // The detection power of the generated alarm, from the model, printed at generation.
    expect(r.stdout).toMatch(
      /Detection at 200 requests\/min: a 10 % canary error rate is rolled back inside the canary with P = 0\.99\d\d; a healthy release \(1 % errors\) is rolled back with P <= 0\.00\d\d per deployment/,
    );
    const state = JSON.parse(readFileSync(join(cwd, 'out/.yo-rc.json'), 'utf8'))['create-canary-pipeline'];
    expect(state.answers).toMatchObject({ githubRepo: 'acme/api', canaryPercent: 10, deploymentEngine: 'ecs' });
    expect(Object.keys(state.manifest).sort()).toEqual(
      files.filter((f) => f !== '.yo-rc.json' && !f.startsWith('.create-canary-pipeline/')),
    );
  });

  it.each([
    ['the defaults', []],
    [
      "the guide's CodeDeploy canary",
      [
        '--deployment-engine',
        'codedeploy',
        '--canary-minutes',
        '5',
        '--rollback-window-minutes',
        '5',
        '--expected-rpm',
        '2000',
      ],
    ],
    [
      'a 2.5 % canary',
      ['--canary-percent', '2.5', '--canary-minutes', '6', '--rollback-window-minutes', '5', '--expected-rpm', '20000'],
    ],
    [
      'a 25 % canary of 12 minutes',
      ['--canary-percent', '25', '--canary-minutes', '12', '--rollback-window-minutes', '15'],
    ],
  ])(
    'with %s, says "caught during the canary?" as docs/DEPLOYMENT.md does, from the same model',
    async (_name, flags) => {
      const cwd = tempDir();
      const r = await cli(['out', '--yes', ...ACCOUNT_ARGS, ...flags], cwd);
      expect(r.code, r.stderr).toBe(0);
      const said = r.stdout
        .split('\n')
        .find((l) => l.startsWith(CAUGHT_LABEL))
        ?.slice(CAUGHT_LABEL.length + 1)
        .replace(/\.$/, '');
      const row = readFileSync(join(cwd, 'out/docs/DEPLOYMENT.md'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('| Caught during the canary? |'));
      expect(said).toMatch(/^(Yes, even in the worst case|Only when detected early)/);
      expect(row).toBe(`| Caught during the canary? | ${said} | rollback time ≤ W |`);
    },
  );

  it.each([
    [['--canary-percent', '150'], '--canary-percent'],
    [['--region', 'mars-1'], '--region'],
    [['--vpc-id', 'vpc-xyz'], '--vpc-id'],
    [
      ['--certificate-arn', 'arn:aws:acm:us-east-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666'],
      '--certificate-arn',
    ],
    [['--private-subnets', 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60009'], '--private-subnets: subnet in both'],
    [['--cpu', '256', '--memory', '4096'], '--memory'],
    [['--bogus'], '"--bogus" is not an option'],
  ])('%j exits 1, names the flag and writes nothing', async (bad, expected) => {
    const cwd = tempDir();
    // A flag given twice is itself an error: the bad value replaces the account flag of the same name.
    const account = ACCOUNT_ARGS.filter((a, i) => !bad.includes(a) && !bad.includes(ACCOUNT_ARGS[i - 1]!));
    const r = await cli(['out', '--yes', ...account, ...bad], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(expected);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('--no-interactive lists every missing account-specific flag at once', async () => {
    const cwd = tempDir();
    const r = await cli(['--no-interactive'], cwd);
    expect(r.code).toBe(1);
    for (const flag of ['--vpc-id', '--public-subnets', '--private-subnets', '--certificate-arn', '--github-repo']) {
      expect(r.stderr).toContain(`${flag}: missing`);
    }
    expect(listFiles(cwd)).toEqual([]);
  });

  it('without a TTY and without --yes never prompts: missing values are errors, exit 1', async () => {
    const cwd = tempDir();
    const r = await cli([], cwd, { tty: false });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--vpc-id: missing');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('CI set means non-interactive even on a TTY', async () => {
    const cwd = tempDir();
    const r = await cli([], cwd, { tty: true, env: { CI: 'true' } });
    expect(r.code).toBe(1);
    expect(listFiles(cwd)).toEqual([]);
  });

  it('--yes leaves account-specific values as TODOs in terraform.tfvars and lists them in the next steps', async () => {
    const cwd = tempDir();
    const r = await cli(['--yes'], cwd);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8')).toMatch(/TODO\(create-canary-pipeline\)/);
    expect(r.stdout).toMatch(/\n {2}npm install {2}# creates package-lock\.json/);
    expect(r.stdout).toMatch(
      /# 1\. Fill in the TODO\(create-canary-pipeline\) entries of terraform\/terraform\.tfvars .*\n {2}# {4}vpc_id \(--vpc-id\), /,
    );
  });

  it('--dry-run lists what would be written and writes nothing', async () => {
    const cwd = tempDir();
    const r = await cli(['--dry-run', '--example', '--yes'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('.github/workflows/deploy.yml');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('a target that is a file is refused', async () => {
    const cwd = tempDir();
    const r1 = await cli(['--yes', '--example'], cwd);
    expect(r1.code).toBe(0);
    const r = await cli(['Dockerfile', '--yes', '--example'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a directory');
  });
});

describe('interactive runs', () => {
  it('asks exactly the options without a flag and writes what was answered', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({
      vpcId: 'vpc-0123456789abcdef0',
      subnets:
        'public: subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002 private: subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
      githubRepo: 'acme/web',
      githubOwnerId: '123456',
      githubRepoId: '456789',
      canary: '20% for 10 min',
      customizeAdvanced: true,
    });
    const r = await cli(['--service-name', 'web'], cwd, { tty: true, ask: prompts.ask });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The subnets and the canary are one question each (src/cli/paired.ts).
    const essentials = ['region', 'vpcId', 'subnets', 'certificateArn', 'githubRepo', 'deploymentEngine', 'canary'];
    const paired = ['publicSubnetIds', 'privateSubnetIds', 'canaryPercent', 'canaryMinutes'];
    // Slack alerts are off by default, so their channel is not asked.
    const advanced = keysToPrompt({ serviceName: 'web' }, undefined).filter(
      (k) => ![...essentials, ...paired].includes(k) && k !== 'alertsSlackChannelId',
    );
    expect(prompts.calls.map((q) => q.name)).toEqual([...essentials, 'customizeAdvanced', ...advanced, 'writeFiles']);
    expect(r.stdout).toContain('  the canary gets 20% of the traffic for 10 min, then the full shift');
    const state = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'];
    expect(state.answers).toMatchObject({
      serviceName: 'web',
      githubRepo: 'acme/web',
      canaryPercent: 20,
      canaryMinutes: 10,
      publicSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60003', 'subnet-0a1b2c3d4e5f60004'],
    });
  });

  it('Ctrl-C at a prompt exits 1 and writes nothing', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({}, () => {
      throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    });
    const r = await cli([], cwd, { tty: true, ask: prompts.ask });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Aborted. Nothing was written.');
    expect(listFiles(cwd)).toEqual([]);
  });
});

describe('interactive validation', () => {
  it('an invalid flag is reported before any question is asked', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({});
    const r = await cli(['--canary-percent', '0'], cwd, { tty: true, ask: prompts.ask });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--canary-percent');
    expect(prompts.calls).toEqual([]);
    expect(listFiles(cwd)).toEqual([]);
  });

  it('the canary combination rule judges prompt answers as soon as its three values are known', async () => {
    const { buildQuestions } = await import('../src/cli/questions.js');
    const questions = buildQuestions(
      ['rollbackWindowMinutes'],
      { expectedRpm: '200', canaryPercent: '10', canaryMinutes: '10' },
      { folderName: 'api' },
    );
    const validate = questions[0]!.validate!;
    expect(validate('290', {})).toBe(true);
    expect(validate('291', {})).toMatch(/keep the total at or below 300 min/);
    expect(validate('10', {})).toBe(true);
    const [rpm] = buildQuestions(
      ['expectedRpm'],
      { canaryPercent: '10', canaryMinutes: '10', rollbackWindowMinutes: '10' },
      { folderName: 'api' },
    );
    expect(rpm!.validate!('50', {})).toMatch(
      /--expected-rpm 50 with --canary-percent 10 gives the canary 5 requests\/min/,
    );
    expect(rpm!.validate!('200', {})).toBe(true);
  });

  it('"none" turns Slack off at the prompt', async () => {
    const { buildQuestions } = await import('../src/cli/questions.js');
    const [q] = buildQuestions(['slackWebhookSecret'], {}, { folderName: 'api' });
    expect(q!.filter!('none')).toBeNull();
    expect(q!.validate!('none', {})).toBe(true);
    expect(q!.validate!('slack', {})).toMatch(/not a GitHub secret name/);
  });
});

describe('existing service', () => {
  it('warns that --language does not apply, and follows the detected language', async () => {
    const cwd = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(cwd, 'package.json'),
      '{ "name": "svc", "main": "app.js", "dependencies": { "express": "^5.1.0" } }\n',
    );
    writeFileSync(
      join(cwd, 'app.js'),
      "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n",
    );
    const r = await cli(['--yes', '--example', '--language', 'ts'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: --language is ignored in an existing service: added files follow its JavaScript.',
    );
    expect(listFiles(cwd)).toContain('health-routes.js');
  });
});
