import { describe, expect, it, vi } from 'vitest';
import {
  checkValue,
  InvalidOptionsError,
  keysToPrompt,
  resolveOptions,
  type RawValues,
} from '../src/options/resolve.js';
import { validateCombination } from '../src/options/combination.js';
import { OPTION_KEYS, OPTION_TABLE, normaliseServiceName, type OptionKey } from '../src/options/table.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { canaryVerdict } from '../src/model/timeline.js';
import { foldOptions } from '../src/options/fold.js';
import { ACCOUNT_ARGS, cli, mockAsk, tempDir } from './support/cli.js';

// Counts the folds of a run; the fold itself runs unchanged.
vi.mock('../src/options/fold.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/options/fold.js')>();
  return { ...actual, foldOptions: vi.fn(actual.foldOptions) };
});

const facts = { folderName: 'my-service' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666';

/** Good and bad raw values for every option, judged alone (rules across options: validateCombination below). */
const CASES: Record<OptionKey, { good: unknown[]; bad: unknown[] }> = {
  serviceName: {
    good: ['api', 'orders-api', 'a1b', 'a'.repeat(32)],
    bad: ['ab', 'Api', '1api', 'api-', 'a'.repeat(33), 'my_api', '', 'sg-api'],
  },
  region: {
    good: ['eu-west-1', 'us-east-1', 'ap-southeast-2'],
    bad: ['mars-1', 'EU-WEST-1', 'us-gov-west-1', 'cn-north-1', ''],
  },
  vpcId: {
    good: ['vpc-0123abcd', 'vpc-0123456789abcdef0'],
    bad: ['vpc-xyz', 'vpc-0123abc', 'vpc-0123456789ABCDEF0', 'subnet-0123abcd'],
  },
  publicSubnetIds: {
    good: ['subnet-0123abcd,subnet-0123abc1', ['subnet-0123abcd', 'subnet-0123456789abcdef0']],
    bad: ['subnet-0123abcd', 'subnet-0123abcd,subnet-0123abcd', 'subnet-0123abcd,sub-1'],
  },
  privateSubnetIds: {
    good: ['subnet-0123abcd, subnet-0123abce'],
    bad: ['', 'subnet-0123abcd', 'vpc-0123abcd,subnet-0123abcd'],
  },
  certificateArn: {
    good: [CERT, CERT.replace('eu-west-1', 'us-east-1')],
    bad: ['arn:aws:iam::123456789012:role/x', 'nope'],
  },
  githubRepo: { good: ['acme/api', 'a-b/c.d_e'], bad: ['acme', 'acme/api/x', '/api', 'acme/'] },
  githubOwnerId: { good: ['123456', '1', '9007199254740993'], bad: ['0', '012', '12a', '-5', '1.5', '', 'acme'] },
  githubRepoId: { good: ['456789', '1322168955'], bad: ['0', 'x', ' ', '1e6'] },
  deploymentEngine: { good: ['ecs', 'codedeploy'], bad: ['CodeDeploy', 'lambda', ''] },
  expectedRpm: { good: ['1', '200', '1000000', 50], bad: ['0', '1000001', '2.5', 'lots', ''] },
  canaryPercent: { good: ['10', '0.1', '100', '12.5', 10], bad: ['150', '0', '0.05', '10.25', 'ten', ''] },
  canaryMinutes: { good: ['5', '10', '300'], bad: ['0', '4', '301', '1440', '5.5', 'x', '0x10', '1e2', '010', ' '] },
  rollbackWindowMinutes: { good: ['0', '10', '295'], bad: ['-1', '296', '300', '1440', '2.5', '0b11', '+5'] },
  slackWebhookSecret: { good: ['SLACK_WEBHOOK', '_X', 'A1', null], bad: ['slack', 'GITHUB_TOKEN', '1ABC', 'A-B'] },
  alertsSlackTeamId: { good: ['T0123ABCD', 'TABCDEFGH12', null], bad: ['t0123abcd', 'C0123ABCD', 'T12', 'workspace'] },
  alertsSlackChannelId: { good: ['C0123ABCD', 'G0123ABCDEF', null], bad: ['#alerts', 'T0123ABCD', 'C1'] },
  containerPort: { good: ['1024', '8080', '65535'], bad: ['80', '1023', '65536', '8080.5'] },
  desiredCount: { good: ['1', '3', '100'], bad: ['0', '101', '2.5'] },
  cpu: { good: ['256', '512', '1024', '16384'], bad: ['128', '500', '32768'] },
  memory: { good: ['1024', '4096'], bad: ['1.5', 'lots', ''] },
  nodeVersion: { good: ['22', '24', '26'], bad: ['20', '18', '25', 'lts'] },
  staging: { good: [true, false, 'true', 'false'], bad: ['maybe', 1] },
  stagingStrategy: { good: ['rolling', 'canary'], bad: ['blue-green', 'Rolling', ''] },
  database: { good: ['postgres', 'none'], bad: ['mysql', ''] },
  cache: { good: ['redis', 'none'], bad: ['memcached'] },
  language: { good: ['ts', 'js'], bad: ['typescript', 'py'] },
};

describe('option validators', () => {
  it('has a case for every option in the table', () => {
    expect(Object.keys(CASES).sort()).toEqual([...OPTION_KEYS].sort());
  });
  for (const key of OPTION_KEYS) {
    const c = CASES[key];
    for (const good of c.good) {
      it(`${key} accepts ${JSON.stringify(good)}`, () => {
        expect(checkValue(key, good).error).toBeUndefined();
      });
    }
    for (const bad of c.bad) {
      it(`${key} rejects ${JSON.stringify(bad)}`, () => {
        expect(checkValue(key, bad).error).toBeTypeOf('string');
      });
    }
  }
  it('applies codedeploy ranges to canary percent and minutes', () => {
    const percent = (canaryPercent: number) =>
      validateCombination({ deploymentEngine: 'codedeploy', canaryPercent }).errors.map((f) => f.message);
    expect(percent(12.5)).toEqual(['must be a whole number between 1 and 99, got 12.5 for codedeploy']);
    expect(percent(100)).toEqual(['must be between 1 and 99, got 100 for codedeploy']);
    expect(percent(99)).toEqual([]);
    // Both engines allow longer canaries than the deploy job can wait for: the job's limit is the range.
    expect(checkValue('canaryMinutes', '300').error).toBeUndefined();
    expect(checkValue('canaryMinutes', '2000').error).toMatch(/5 and 300/);
  });
  it('normalises package and folder names into service names', () => {
    expect(normaliseServiceName('@acme/Orders_API')).toBe('orders-api');
    expect(normaliseServiceName('My Service!')).toBe('my-service');
    expect(normaliseServiceName('42')).toBeUndefined();
  });
});

describe('resolveOptions', () => {
  const resolve = (
    input: { flags?: RawValues; answers?: RawValues; saved?: RawValues },
    mode: 'yes' | 'strict' = 'strict',
  ) => resolveOptions({ flags: input.flags ?? {}, answers: input.answers, saved: input.saved, facts, mode });

  it('takes flags over answers over saved over defaults', () => {
    const base = { ...EXAMPLE_FLAGS };
    expect(
      resolve({
        flags: { ...base, canaryPercent: '20' },
        answers: { canaryPercent: '30' },
        saved: { canaryPercent: 40 },
      }).options.canaryPercent,
    ).toBe(20);
    expect(
      resolve({ flags: base, answers: { canaryPercent: '30' }, saved: { canaryPercent: 40 } }).options.canaryPercent,
    ).toBe(30);
    expect(resolve({ flags: base, saved: { canaryPercent: 40 } }).options.canaryPercent).toBe(40);
    expect(resolve({ flags: base }).options.canaryPercent).toBe(10);
  });
  it('defaults the service name from the folder and the repo from facts', () => {
    const r = resolveOptions({ flags: { ...EXAMPLE_FLAGS, serviceName: undefined }, facts, mode: 'strict' });
    expect(r.options.serviceName).toBe('my-service');
  });
  it('lists every missing account-specific value with its flag in strict mode', () => {
    const err = captureError(() => resolve({}));
    expect(err.problems.map((p) => p.key).sort()).toEqual([
      'certificateArn',
      'githubRepo',
      'privateSubnetIds',
      'publicSubnetIds',
      'vpcId',
    ]);
    for (const p of err.problems) expect(p.message).toMatch(/^--[a-z-]+: missing/);
  });
  it('leaves account-specific gaps as placeholders with --yes', () => {
    const r = resolve({}, 'yes');
    expect([...r.placeholders].sort()).toEqual([
      'certificateArn',
      'githubOwnerId',
      'githubRepo',
      'githubRepoId',
      'privateSubnetIds',
      'publicSubnetIds',
      'vpcId',
    ]);
    expect(r.options.vpcId).toBeUndefined();
  });
  it('reports every invalid value at once, naming each flag', () => {
    const err = captureError(() =>
      resolve({ flags: { ...EXAMPLE_FLAGS, canaryPercent: '150', region: 'mars-1', vpcId: 'vpc-xyz' } }),
    );
    const text = err.message;
    expect(text).toContain('--canary-percent');
    expect(text).toContain('--region');
    expect(text).toContain('--vpc-id');
  });
  it('names the key and file for an invalid saved answer', () => {
    const err = resolveOptionsError({
      flags: EXAMPLE_FLAGS,
      saved: { canaryMinutes: 99999 },
      savedFile: 'x/.yo-rc.json',
      facts,
      mode: 'strict',
    });
    expect(err.message).toContain('canaryMinutes in x/.yo-rc.json');
  });
  it('rejects a certificate from another region and a subnet in both lists', () => {
    const err = captureError(() =>
      resolve({
        flags: {
          ...EXAMPLE_FLAGS,
          region: 'us-east-1',
          privateSubnetIds: `${String(EXAMPLE_FLAGS.publicSubnetIds).split(',')[0]},subnet-0a1b2c3d4e5f69999`,
        },
      }),
    );
    expect(err.message).toMatch(/--certificate-arn: certificate is in eu-west-1 but --region is us-east-1/);
    expect(err.message).toMatch(/--private-subnets: subnet in both/);
  });
  it('refuses settings in which no alarm reaches the detection targets, naming the numbers and a fix', () => {
    const err = captureError(() =>
      resolve({ flags: { ...EXAMPLE_FLAGS, canaryMinutes: '5', rollbackWindowMinutes: '5' } }),
    );
    expect(err.problems[0]!.key).toBe('combination');
    expect(err.message).toMatch(/--expected-rpm 200 with --canary-percent 10 gives the canary 20 requests\/min/);
    expect(err.message).toMatch(/--canary-minutes 5 leaves 1 one-minute look/);
    expect(err.message).toMatch(/best: P = 0\.\d+ with false rollbacks <= 0\.\d+/);
    // The suggested traffic really is enough: the same options with it resolve.
    const rpm = /--expected-rpm (\d+) or more/.exec(err.message)![1]!;
    expect(
      resolve({ flags: { ...EXAMPLE_FLAGS, canaryMinutes: '5', rollbackWindowMinutes: '5', expectedRpm: rpm } }).options
        .expectedRpm,
    ).toBe(Number(rpm));
    expect(() =>
      resolve({
        flags: {
          ...EXAMPLE_FLAGS,
          canaryMinutes: '5',
          rollbackWindowMinutes: '5',
          expectedRpm: String(Number(rpm) - 1),
        },
      }),
    ).toThrow(InvalidOptionsError);
  });
  it('accepts the defaults without warnings and warns when the alarm looks back further than the rollback window', () => {
    expect(resolve({ flags: EXAMPLE_FLAGS }).warnings).toEqual([]);
    const r = resolve({ flags: { ...EXAMPLE_FLAGS, canaryMinutes: '20', rollbackWindowMinutes: '5' } });
    expect(r.warnings.join('\n')).toMatch(/looks back 21 min, longer than --rollback-window-minutes 5 \+ 2/);
  });
});

describe('alerts to Slack', () => {
  const resolve = (input: { flags: RawValues }) => resolveOptions({ ...input, facts, mode: 'strict' });
  it('needs the team and the channel together', () => {
    const err = captureError(() => resolve({ flags: { ...EXAMPLE_FLAGS, alertsSlackTeamId: 'T0123ABCD' } }));
    expect(err.message).toContain('--alerts-slack-team-id and --alerts-slack-channel-id go together');
    expect(
      resolve({ flags: { ...EXAMPLE_FLAGS, alertsSlackTeamId: 'T0123ABCD', alertsSlackChannelId: 'C0123ABCD' } })
        .options,
    ).toMatchObject({ alertsSlackTeamId: 'T0123ABCD', alertsSlackChannelId: 'C0123ABCD' });
    expect(resolve({ flags: EXAMPLE_FLAGS }).options).toMatchObject({
      alertsSlackTeamId: null,
      alertsSlackChannelId: null,
    });
  });
});

describe('canaryVerdict', () => {
  it.each([
    [10, 10, 10, 200, 0, 0],
    [10, 5, 5, 200, 1, 0],
    [10, 5, 5, 2000, 0, 0],
    [10, 10, 10, 20, 1, 0],
    [25, 12, 10, 200, 0, 1],
    [10, 150, 150, 200, 0, 0],
    [10, 150, 151, 200, 1, 0],
    [10, 3, 0, 100000, 1, 0],
  ])(
    'percent %d, W=%d, B=%d, %d rpm → %d errors, %d warnings',
    (canaryPercent, canaryMinutes, rollbackWindowMinutes, expectedRpm, errors, warnings) => {
      const v = canaryVerdict({ canaryPercent, canaryMinutes, rollbackWindowMinutes, expectedRpm });
      expect(v.errors).toHaveLength(errors);
      expect(v.warnings).toHaveLength(warnings);
    },
  );
});

const SUBNET = String(EXAMPLE_FLAGS.publicSubnetIds).split(',')[0]!;
/** Flags that break every rule across two options at once. */
const CROSSED: RawValues = {
  ...EXAMPLE_FLAGS,
  region: 'us-east-1',
  privateSubnetIds: `${SUBNET},subnet-0a1b2c3d4e5f69999`,
  cpu: '256',
  memory: '4096',
  deploymentEngine: 'codedeploy',
  canaryPercent: '12.5',
  alertsSlackTeamId: 'T0123ABCD',
};
const CROSSED_MESSAGES = [
  /^--certificate-arn: certificate is in eu-west-1 but --region is us-east-1/,
  /^--private-subnets: subnet in both the public and the private list: subnet-/,
  /^--memory: 4096 MiB is not valid with --cpu 256 \(allowed: 512-2048 in steps of 512\)$/,
  /^--canary-percent: must be a whole number between 1 and 99, got 12\.5 for codedeploy$/,
  /^--alerts-slack-team-id and --alerts-slack-channel-id go together/,
];

/** A permutation of `keys` from a seeded linear congruential generator (the same on every run). */
function shuffled<T>(keys: readonly T[], seed: number): T[] {
  const out = [...keys];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('validateCombination: rules across options', () => {
  it('reports each broken rule once, on the option whose flag heads the message', () => {
    const messages = captureError(() => resolveOptions({ flags: CROSSED, facts, mode: 'strict' })).problems.map(
      (p) => p.message,
    );
    expect(messages).toHaveLength(CROSSED_MESSAGES.length);
    for (const m of CROSSED_MESSAGES)
      expect(
        messages.filter((x) => m.test(x)),
        String(m),
      ).toHaveLength(1);
  });

  it('gives the same problems, each once, whatever the order of the table', async () => {
    const baseline = captureError(() => resolveOptions({ flags: CROSSED, facts, mode: 'strict' }))
      .problems.map((p) => p.message)
      .sort();
    const orders = [[...OPTION_KEYS].reverse(), ...[1, 2, 3, 4, 5].map((seed) => shuffled(OPTION_KEYS, seed))];
    try {
      for (const order of orders) {
        vi.resetModules();
        vi.doMock('../src/options/table.js', async (importOriginal) => {
          const actual = await importOriginal<typeof import('../src/options/table.js')>();
          return {
            ...actual,
            OPTION_KEYS: order,
            OPTION_TABLE: Object.fromEntries(order.map((k) => [k, actual.OPTION_TABLE[k]])),
          };
        });
        const shuffledModule = await import('../src/options/resolve.js');
        const { OPTION_KEYS: seen } = await import('../src/options/table.js');
        expect(seen).toEqual(order); // the fold really walks the shuffled table
        const err = captureErrorOf(shuffledModule.InvalidOptionsError, () =>
          shuffledModule.resolveOptions({ flags: CROSSED, facts, mode: 'strict' }),
        );
        expect(err.problems.map((p) => p.message).sort(), order.join(' ')).toEqual(baseline);
      }
    } finally {
      vi.doUnmock('../src/options/table.js');
      vi.resetModules();
    }
  });

  it('judges a rule only when every value it reads is known and valid on its own', () => {
    const broken = { certificateArn: CERT, region: 'us-east-1', cpu: 256, memory: 4096 };
    expect(validateCombination(broken).errors.map((f) => f.key)).toEqual(['certificateArn', 'memory']);
    expect(validateCombination(broken, new Set(['region', 'cpu'])).errors).toEqual([]);
    expect(validateCombination({ ...broken, region: undefined, cpu: undefined }).errors).toEqual([]);
    // A refused percent is not also judged by the canary rule.
    const canary = {
      deploymentEngine: 'codedeploy',
      canaryPercent: 0.5,
      canaryMinutes: 10,
      rollbackWindowMinutes: 10,
      expectedRpm: 200,
    };
    expect(validateCombination(canary).errors.map((f) => f.key)).toEqual(['canaryPercent']);
  });
});

describe('one fold per run', () => {
  const folds = vi.mocked(foldOptions);
  it.each([
    ['a new repository with --yes', ['out', '--yes', ...ACCOUNT_ARGS], false],
    ['an interactive run', ['out', ...ACCOUNT_ARGS], true],
  ])('%s resolves its options once', async (_name, argv, tty) => {
    const cwd = tempDir();
    folds.mockClear();
    const r = await cli(argv, cwd, { tty, ask: mockAsk({}).ask });
    expect(r.code, r.stderr).toBe(0);
    expect(folds).toHaveBeenCalledTimes(1);
    // A re-run over the saved answers (nothing edited): once again.
    folds.mockClear();
    expect((await cli(['out', '--yes'], cwd)).code).toBe(0);
    expect(folds).toHaveBeenCalledTimes(1);
  });
});

describe('keysToPrompt', () => {
  it('asks everything without a flag on a first run', () => {
    expect(keysToPrompt({ region: 'eu-west-1' }, undefined)).toEqual(OPTION_KEYS.filter((k) => k !== 'region'));
  });
  it('asks only new or invalid options on a re-run', () => {
    const saved: RawValues = {};
    for (const k of OPTION_KEYS) saved[k] = OPTION_TABLE[k].defaultValue({ folderName: 'api' }, {});
    Object.assign(saved, {
      vpcId: 'vpc-0123abcd',
      publicSubnetIds: ['subnet-0123abcd', 'subnet-0123abce'],
      privateSubnetIds: ['subnet-0123abcf', 'subnet-0123abc0'],
      certificateArn: CERT,
      githubRepo: 'a/b',
      githubOwnerId: '1',
      githubRepoId: '2',
    });
    expect(keysToPrompt({}, saved)).toEqual([]);
    expect(keysToPrompt({}, { ...saved, canaryMinutes: 0 })).toEqual(['canaryMinutes']);
    const { language: _dropped, ...withoutLanguage } = saved;
    expect(keysToPrompt({}, withoutLanguage)).toEqual(['language']);
  });
});

function captureError(fn: () => unknown): InvalidOptionsError {
  return captureErrorOf(InvalidOptionsError, fn);
}

/** The error `fn` throws, of the class `type` (a module loaded again has its own class). */
function captureErrorOf<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected ${type.name}`);
}

function resolveOptionsError(input: Parameters<typeof resolveOptions>[0]): InvalidOptionsError {
  return captureError(() => resolveOptions(input));
}
