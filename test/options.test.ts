import { describe, expect, it } from 'vitest';
import { checkValue, InvalidOptionsError, keysToPrompt, resolveOptions, type RawValues } from '../src/options/resolve.js';
import { OPTION_KEYS, OPTION_TABLE, normaliseServiceName, type OptionKey } from '../src/options/table.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { validateCombination } from '../src/context/timeline.js';

const facts = { folderName: 'my-service' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666';

/** Good and bad raw values for every option; `others` are values of earlier options the rule depends on. */
const CASES: Record<OptionKey, { good: unknown[]; bad: unknown[]; others?: Record<string, unknown> }> = {
  serviceName: { good: ['api', 'orders-api', 'a1b', 'a'.repeat(32)], bad: ['ab', 'Api', '1api', 'api-', 'a'.repeat(33), 'my_api', '', 'sg-api'] },
  region: { good: ['eu-west-1', 'us-east-1', 'ap-southeast-2'], bad: ['mars-1', 'EU-WEST-1', 'us-gov-west-1', 'cn-north-1', ''] },
  vpcId: { good: ['vpc-0123abcd', 'vpc-0123456789abcdef0'], bad: ['vpc-xyz', 'vpc-0123abc', 'vpc-0123456789ABCDEF0', 'subnet-0123abcd'] },
  publicSubnetIds: {
    good: ['subnet-0123abcd,subnet-0123abc1', ['subnet-0123abcd', 'subnet-0123456789abcdef0']],
    bad: ['subnet-0123abcd', 'subnet-0123abcd,subnet-0123abcd', 'subnet-0123abcd,sub-1', 'subnet-0123abcd,subnet-0123abce'],
    others: { privateSubnetIds: ['subnet-0123abce', 'subnet-0123abcf'] },
  },
  privateSubnetIds: { good: ['subnet-0123abcd, subnet-0123abce'], bad: ['', 'subnet-0123abcd', 'vpc-0123abcd,subnet-0123abcd'] },
  certificateArn: { good: [CERT], bad: [CERT.replace('eu-west-1', 'us-east-1'), 'arn:aws:iam::123456789012:role/x', 'nope'], others: { region: 'eu-west-1' } },
  githubRepo: { good: ['acme/api', 'a-b/c.d_e'], bad: ['acme', 'acme/api/x', '/api', 'acme/'] },
  deploymentEngine: { good: ['ecs', 'codedeploy'], bad: ['CodeDeploy', 'lambda', ''] },
  canaryPercent: { good: ['10', '0.1', '100', '12.5', 10], bad: ['150', '0', '0.05', '10.25', 'ten', ''] },
  canaryMinutes: { good: ['1', '10', '300'], bad: ['0', '301', '1440', '5.5', 'x', '0x10', '1e2', '010', ' '] },
  rollbackWindowMinutes: { good: ['0', '10', '299'], bad: ['-1', '300', '1440', '2.5', '0b11', '+5'] },
  slackWebhookSecret: { good: ['SLACK_WEBHOOK', '_X', 'A1', null], bad: ['slack', 'GITHUB_TOKEN', '1ABC', 'A-B'] },
  containerPort: { good: ['1024', '8080', '65535'], bad: ['80', '1023', '65536', '8080.5'] },
  desiredCount: { good: ['1', '3', '100'], bad: ['0', '101', '2.5'] },
  cpu: { good: ['256', '512', '1024', '16384'], bad: ['128', '500', '32768'] },
  memory: { good: ['1024', '4096'], bad: ['512', '8192', '1536'], others: { cpu: 512 } },
  nodeVersion: { good: ['22', '24', '26'], bad: ['20', '18', '25', 'lts'] },
  staging: { good: [true, false, 'true', 'false'], bad: ['maybe', 1] },
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
        expect(checkValue(key, good, c.others ?? {}).error).toBeUndefined();
      });
    }
    for (const bad of c.bad) {
      it(`${key} rejects ${JSON.stringify(bad)}`, () => {
        expect(checkValue(key, bad, c.others ?? {}).error).toBeTypeOf('string');
      });
    }
  }
  it('applies codedeploy ranges to canary percent and minutes', () => {
    expect(checkValue('canaryPercent', '12.5', { deploymentEngine: 'codedeploy' }).error).toMatch(/whole number/);
    expect(checkValue('canaryPercent', '100', { deploymentEngine: 'codedeploy' }).error).toMatch(/1 and 99/);
    // Both engines allow longer canaries than the deploy job can wait for: the job's limit is the range.
    expect(checkValue('canaryMinutes', '300', { deploymentEngine: 'codedeploy' }).error).toBeUndefined();
    expect(checkValue('canaryMinutes', '2000', { deploymentEngine: 'codedeploy' }).error).toMatch(/1 and 300/);
  });
  it('normalises package and folder names into service names', () => {
    expect(normaliseServiceName('@acme/Orders_API')).toBe('orders-api');
    expect(normaliseServiceName('My Service!')).toBe('my-service');
    expect(normaliseServiceName('42')).toBeUndefined();
  });
});

describe('resolveOptions', () => {
  const resolve = (input: { flags?: RawValues; answers?: RawValues; saved?: RawValues }, mode: 'yes' | 'strict' = 'strict') =>
    resolveOptions({ flags: input.flags ?? {}, answers: input.answers, saved: input.saved, facts, mode });

  it('takes flags over answers over saved over defaults', () => {
    const base = { ...EXAMPLE_FLAGS };
    expect(resolve({ flags: { ...base, canaryPercent: '20' }, answers: { canaryPercent: '30' }, saved: { canaryPercent: 40 } }).options.canaryPercent).toBe(20);
    expect(resolve({ flags: base, answers: { canaryPercent: '30' }, saved: { canaryPercent: 40 } }).options.canaryPercent).toBe(30);
    expect(resolve({ flags: base, saved: { canaryPercent: 40 } }).options.canaryPercent).toBe(40);
    expect(resolve({ flags: base }).options.canaryPercent).toBe(10);
  });
  it('defaults the service name from the folder and the repo from facts', () => {
    const r = resolveOptions({ flags: { ...EXAMPLE_FLAGS, serviceName: undefined }, facts, mode: 'strict' });
    expect(r.options.serviceName).toBe('my-service');
  });
  it('lists every missing account-specific value with its flag in strict mode', () => {
    const err = captureError(() => resolve({}));
    expect(err.problems.map((p) => p.key).sort()).toEqual(['certificateArn', 'githubRepo', 'privateSubnetIds', 'publicSubnetIds', 'vpcId']);
    for (const p of err.problems) expect(p.message).toMatch(/^--[a-z-]+: missing/);
  });
  it('leaves account-specific gaps as placeholders with --yes', () => {
    const r = resolve({}, 'yes');
    expect([...r.placeholders].sort()).toEqual(['certificateArn', 'githubRepo', 'privateSubnetIds', 'publicSubnetIds', 'vpcId']);
    expect(r.options.vpcId).toBeUndefined();
  });
  it('reports every invalid value at once, naming each flag', () => {
    const err = captureError(() => resolve({ flags: { ...EXAMPLE_FLAGS, canaryPercent: '150', region: 'mars-1', vpcId: 'vpc-xyz' } }));
    const text = err.message;
    expect(text).toContain('--canary-percent');
    expect(text).toContain('--region');
    expect(text).toContain('--vpc-id');
  });
  it('names the key and file for an invalid saved answer', () => {
    const err = resolveOptionsError({ flags: EXAMPLE_FLAGS, saved: { canaryMinutes: 99999 }, savedFile: 'x/.yo-rc.json', facts, mode: 'strict' });
    expect(err.message).toContain('canaryMinutes in x/.yo-rc.json');
  });
  it('rejects a certificate from another region and a subnet in both lists', () => {
    const err = captureError(() => resolve({
      flags: { ...EXAMPLE_FLAGS, region: 'us-east-1', privateSubnetIds: `${String(EXAMPLE_FLAGS.publicSubnetIds).split(',')[0]},subnet-0a1b2c3d4e5f69999` },
    }));
    expect(err.message).toMatch(/--certificate-arn: certificate is in eu-west-1 but --region is us-east-1/);
    expect(err.message).toMatch(/--private-subnets: subnet in both/);
  });
  it('refuses a canary + rollback window in which the alarm can never fire, naming the numbers', () => {
    const err = captureError(() => resolve({ flags: { ...EXAMPLE_FLAGS, canaryMinutes: '1', rollbackWindowMinutes: '1' } }));
    expect(err.problems[0]!.key).toBe('combination');
    expect(err.message).toMatch(/--canary-minutes 1 \+ --rollback-window-minutes 1 = 2 min/);
  });
  it('warns when detection can land after the full shift', () => {
    const r = resolve({ flags: { ...EXAMPLE_FLAGS, canaryMinutes: '5', rollbackWindowMinutes: '5' } });
    expect(r.warnings.join('\n')).toMatch(/--canary-minutes 5 is shorter than the worst-case 6 min/);
    expect(resolve({ flags: EXAMPLE_FLAGS }).warnings).toEqual([]);
  });
});

describe('validateCombination', () => {
  it.each([
    [10, 1, 1, 1, 0],
    [10, 2, 0, 1, 0],
    [10, 3, 0, 0, 2],
    [10, 4, 1, 0, 2],
    [10, 5, 5, 0, 1],
    [10, 10, 10, 0, 0],
    [10, 6, 0, 0, 0],
    [10, 150, 150, 0, 0],
    [10, 150, 151, 1, 0],
    [10, 1440, 0, 1, 0],
  ])('percent %d, W=%d, B=%d → %d errors, %d warnings', (pct, w, b, errors, warnings) => {
    const v = validateCombination(pct, w, b);
    expect(v.errors).toHaveLength(errors);
    expect(v.warnings).toHaveLength(warnings);
  });
});

describe('keysToPrompt', () => {
  it('asks everything without a flag on a first run', () => {
    expect(keysToPrompt({ region: 'eu-west-1' }, undefined)).toEqual(OPTION_KEYS.filter((k) => k !== 'region'));
  });
  it('asks only new or invalid options on a re-run', () => {
    const saved: RawValues = {};
    for (const k of OPTION_KEYS) saved[k] = OPTION_TABLE[k].defaultValue({ folderName: 'api' }, {});
    Object.assign(saved, { vpcId: 'vpc-0123abcd', publicSubnetIds: ['subnet-0123abcd', 'subnet-0123abce'], privateSubnetIds: ['subnet-0123abcf', 'subnet-0123abc0'], certificateArn: CERT, githubRepo: 'a/b' });
    expect(keysToPrompt({}, saved)).toEqual([]);
    expect(keysToPrompt({}, { ...saved, canaryMinutes: 0 })).toEqual(['canaryMinutes']);
    const { language: _dropped, ...withoutLanguage } = saved;
    expect(keysToPrompt({}, withoutLanguage)).toEqual(['language']);
  });
});

function captureError(fn: () => unknown): InvalidOptionsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidOptionsError) return err;
    throw err;
  }
  throw new Error('expected InvalidOptionsError');
}

function resolveOptionsError(input: Parameters<typeof resolveOptions>[0]): InvalidOptionsError {
  return captureError(() => resolveOptions(input));
}
