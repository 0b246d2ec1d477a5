/**
 * The `npm create` door on a real pseudo-terminal (util-linux `script`): the bin draws its questions
 * with @inquirer/prompts, takes typed answers and Enter for defaults, judges the canary combination at
 * the prompt, reads "none" as Slack off, and Ctrl-C exits 1 with nothing written.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_KEYS, OPTION_TABLE, type OptionKey } from '../src/options/table.js';
import { keysToPrompt, type RawValues } from '../src/options/resolve.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { buildQuestions, SKIP_HINT, type Question } from '../src/cli/questions.js';
import { PAIRS, type PairName } from '../src/cli/paired.js';
import { listFiles, tempDir } from './support/cli.js';
import { onTty, type Step } from './support/tty.js';

/**
 * A step per question of a run with `flags`, in the order the run asks them: Enter (the default) unless
 * `typed` gives the answer; the advanced questions after answering yes to "Customize advanced settings?";
 * yes to "Write these files?".
 */
function answering(
  flags: RawValues,
  typed: Partial<Record<string, string>>,
  extra: Partial<Record<string, Step>> = {},
  opts = { advanced: true, write: '' },
): Step[] {
  const questions = buildQuestions(keysToPrompt(flags, undefined), flags, { folderName: 'x' });
  const step = (q: Question): Step[] => {
    const s = { wait: q.message, send: `${typed[q.name] ?? ''}\r` };
    return extra[q.name] ? [s, extra[q.name]!] : [s];
  };
  // `when` sees option values only (a paired question's answer is stored under its two options).
  const values = Object.fromEntries(Object.entries(typed).filter(([k]) => k in OPTION_TABLE));
  const applies = (q: Question): boolean => !q.when || q.when(values);
  return [
    ...questions.filter((q) => !q.advanced && applies(q)).flatMap(step),
    { wait: 'Customize advanced settings?', send: opts.advanced ? 'y\r' : '\r' },
    ...(opts.advanced ? questions.filter((q) => q.advanced && applies(q)).flatMap(step) : []),
    { wait: 'Write these files?', send: `${opts.write}\r` },
  ];
}

const pair = (name: PairName): (typeof PAIRS)[number] => PAIRS.find((p) => p.name === name)!;

/** The questions answered on the screen: @inquirer/prompts redraws each as "✔ <message> <answer>" once taken. */
const answeredLines = (screen: string): string[] =>
  screen
    .split('✔ ')
    .slice(1)
    .map((l) => l.split('\n')[0]!);

const exampleArgs = Object.entries(EXAMPLE_FLAGS).map(
  ([k, v]) => `--${OPTION_TABLE[k as OptionKey].flag} ${String(v)}`,
);

describe('interactive on a terminal', () => {
  it('asks every option without a flag, Enter takes the default, typed answers are saved', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty(
      exampleArgs,
      cwd,
      answering(EXAMPLE_FLAGS, { canary: '20% for 10 min', slackWebhookSecret: 'none' }),
    );
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('Next steps, to paste');
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({
      canaryPercent: 20,
      canaryMinutes: 10,
      deploymentEngine: 'ecs',
      staging: true,
      slackWebhookSecret: null,
    });
  });

  it('a default run asks 7 questions, then whether to customize; skipped account values become TODOs; a summary precedes the confirm', async () => {
    const cwd = tempDir('ccp-tty-');
    // The essentials a new user answers with Enter; no VPC means no subnet question.
    const essentials: OptionKey[] = [
      'serviceName',
      'region',
      'vpcId',
      'certificateArn',
      'githubRepo',
      'deploymentEngine',
    ];
    const steps = [
      ...essentials.map((k) => ({ wait: OPTION_TABLE[k].message, send: '\r' })),
      { wait: pair('canary').message, send: '\r' },
      { wait: 'Customize advanced settings?', send: '\r' },
      { wait: 'Write these files?', send: '\r' },
    ];
    const r = await onTty(['--skip-install'], cwd, steps);
    expect(r.code, r.screen).toBe(0);
    const beforeConfirm = r.screen.slice(0, r.screen.indexOf('Customize advanced settings?'));
    const asked = OPTION_KEYS.filter((k) => beforeConfirm.includes(OPTION_TABLE[k].message));
    expect(asked).toEqual(essentials);
    expect(answeredLines(beforeConfirm)).toHaveLength(7);
    expect(r.screen).not.toContain(pair('subnets').message);
    expect(r.screen).not.toContain(OPTION_TABLE.expectedRpm.message);
    expect(r.screen).toContain(OPTION_TABLE.deploymentEngine.choiceHelp!.ecs);
    expect(r.screen).toContain(`${OPTION_TABLE.vpcId.message} (${SKIP_HINT})`);
    // The summary, before the confirm: what is written, the canary verdict and the cost.
    const summary = r.screen.slice(r.screen.indexOf('About to write'), r.screen.indexOf('Write these files?'));
    const written = listFiles(cwd).filter((f) => !f.startsWith('.create-canary-pipeline') && f !== '.yo-rc.json');
    expect(summary).toContain(
      `About to write into the current folder: ${written.length} file(s): ${written.length} new.`,
    );
    expect(summary).toMatch(/Canary: Detection at 200 requests\/min: .* rolled back inside the canary with P = /);
    expect(summary).toMatch(/Cost: about \d+\.\d\d USD a month/);
    expect(summary).toContain(
      'Left as TODO in terraform/terraform.tfvars: vpc_id, public_subnet_ids, private_subnet_ids, certificate_arn, github_org / github_repo',
    );
    expect(readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8')).toMatch(
      /# TODO\(create-canary-pipeline\).*\n(?:#.*\n)*vpc_id\s+= ""/,
    );
  });

  it('with a VPC typed in, the essentials are 8 questions: the subnets and the canary are one each, parsed strictly, re-asked on error', async () => {
    const cwd = tempDir('ccp-tty-');
    const erase = (typed: string): string => '\x7f'.repeat(typed.length);
    const unlabelled = 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002';
    const subnets =
      'public: subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002  private: subnet-0a1b2c3d4e5f60003 subnet-0a1b2c3d4e5f60004';
    const steps: Step[] = [
      { wait: OPTION_TABLE.serviceName.message, send: '\r' },
      { wait: OPTION_TABLE.region.message, send: '\r' },
      { wait: OPTION_TABLE.vpcId.message, send: 'vpc-0123456789abcdef0\r' },
      { wait: pair('subnets').message, send: `${unlabelled}\r` },
      { wait: 'say which list subnet-0a1b2c3d4e5f60001 belongs to', send: `${erase(unlabelled)}${subnets}\r` },
      { wait: 'private (tasks): subnet-0a1b2c3d4e5f60003, subnet-0a1b2c3d4e5f60004', send: '' },
      { wait: OPTION_TABLE.certificateArn.message, send: '\r' },
      { wait: OPTION_TABLE.githubRepo.message, send: '\r' },
      { wait: OPTION_TABLE.deploymentEngine.message, send: '\r' },
      { wait: pair('canary').message, send: '10%\r' },
      { wait: 'expected the percent and the minutes', send: `${erase('10%')}10% for 295 min\r` },
      // The cross-field verdict at this question: 295 + the default rollback window 10 > 300.
      { wait: '= 305 min', send: `${erase('10% for 295 min')}5 20\r` },
      { wait: 'the canary gets 5% of the traffic for 20 min', send: '' },
      { wait: 'Customize advanced settings?', send: '\r' },
      { wait: 'Write these files?', send: '\r' },
    ];
    const r = await onTty(['--skip-install'], cwd, steps);
    expect(r.code, r.screen).toBe(0);
    const beforeGate = r.screen.slice(0, r.screen.indexOf('Customize advanced settings?'));
    const answered = answeredLines(beforeGate);
    expect(answered, beforeGate).toHaveLength(8);
    expect(answered.length).toBeLessThanOrEqual(8);
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({
      vpcId: 'vpc-0123456789abcdef0',
      canaryPercent: 5,
      canaryMinutes: 20,
      publicSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60003', 'subnet-0a1b2c3d4e5f60004'],
    });
  });

  it('answering no to "Write these files?" writes nothing', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty(['--skip-install', ...exampleArgs], cwd, [
      ...answering(EXAMPLE_FLAGS, {}, {}, { advanced: false, write: 'n' }),
    ]);
    expect(r.code, r.screen).toBe(1);
    expect(r.screen).toContain('Nothing was written.');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('judges the canary combination at the rollback-window prompt and asks again', async () => {
    const cwd = tempDir('ccp-tty-');
    // The refused answer stays in the field: erase it (Backspace), then type a valid one.
    const retry = { rollbackWindowMinutes: { wait: '= 310 min', send: '\x7f\x7f10\r' } };
    const r = await onTty(
      exampleArgs,
      cwd,
      answering(EXAMPLE_FLAGS, { canary: '10% for 290 min', rollbackWindowMinutes: '20' }, retry),
    );
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toMatch(/--canary-minutes 290 \+ --rollback-window-minutes 20 = 310 min/);
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({ canaryMinutes: 290, rollbackWindowMinutes: 10 });
  });

  it('Ctrl-C at the first question exits 1 and writes nothing', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty([], cwd, [{ wait: OPTION_TABLE.serviceName.message, send: '\x03' }]);
    expect(r.code).toBe(1);
    expect(r.screen).toContain('Aborted. Nothing was written.');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('Ctrl-C into a new target folder leaves no folder behind; a folder that existed before is kept', async () => {
    const cwd = tempDir('ccp-tty-');
    const first = await onTty(['new-service'], cwd, [{ wait: OPTION_TABLE.serviceName.message, send: '\x03' }]);
    expect(first.code, first.screen).toBe(1);
    expect(first.screen).toContain('Aborted. Nothing was written.');
    // At the last question, after the summary of what would be written: still nothing on disk.
    const last = await onTty(['new-service', ...exampleArgs], cwd, [
      ...answering(EXAMPLE_FLAGS, {}, {}, { advanced: false, write: '' }).slice(0, -1),
      { wait: 'Write these files?', send: '\x03' },
    ]);
    expect(last.code, last.screen).toBe(1);
    expect(last.screen).toContain('About to write into new-service');
    expect(readdirSync(cwd)).toEqual([]);
    mkdirSync(join(cwd, 'mine'));
    const existing = await onTty(['mine'], cwd, [{ wait: OPTION_TABLE.serviceName.message, send: '\x03' }]);
    expect(existing.code).toBe(1);
    expect(readdirSync(cwd)).toEqual(['mine']);
  });

  it('an invalid flag is reported before the first question', async () => {
    const cwd = tempDir('ccp-tty-');
    const r = await onTty(['--canary-percent', '0'], cwd, []);
    expect(r.code).toBe(1);
    expect(r.screen).toContain('--canary-percent');
    expect(r.screen).not.toContain(OPTION_TABLE.serviceName.message);
    expect(listFiles(cwd)).toEqual([]);
  });
});
