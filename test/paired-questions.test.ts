/**
 * Two options asked as one question (src/cli/paired.ts): the strict parsers of "public: a,b  private: c,d"
 * and "10% for 10 min" / "10 10", the table rules and the canary verdict judging the parts, what the
 * answer is stored as, and when a pair is (not) merged. The terminal side is test/prompt-tty.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseCanary, parseSubnets } from '../src/cli/paired.js';
import { buildQuestions, type Question } from '../src/cli/questions.js';
import { askQuestions } from '../src/cli/prompt.js';
import type { OptionKey } from '../src/options/table.js';

const S = (n: number): string => `subnet-0a1b2c3d4e5f6000${n}`;
const facts = { folderName: 'api' };
const byName = (qs: readonly Question[], name: string): Question => qs.find((q) => q.name === name)!;

describe('the canary answer', () => {
  it.each([
    ['10% for 10 min', '10', '10'],
    ['10 10', '10', '10'],
    ['2.5% for 30 minutes', '2.5', '30'],
    ['5%, 20 min', '5', '20'],
    ['5 % for 20m', '5', '20'],
    ['5,20', '5', '20'],
    ['  7  15  ', '7', '15'],
    ['10 FOR 10 MIN', '10', '10'],
  ])('%j is percent %s, minutes %s', (text, pct, min) => {
    expect(parseCanary(text)).toEqual({ ok: true, raw: [pct, min] });
  });

  it.each([
    '',
    '10',
    '10%',
    '1010',
    '10 10 10',
    'ten percent',
    '10 ten',
    '10% for',
    'for 10 min',
    '10 for 10 hours',
    '10%% 10',
  ])('%j is refused with the expected form', (text) => {
    const r = parseCanary(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain('e.g. "10% for 10 min" or "10 10"');
  });
});

describe('the subnets answer', () => {
  it.each([
    [`public: ${S(1)},${S(2)}  private: ${S(3)},${S(4)}`],
    [`public:${S(1)} ${S(2)} private:${S(3)}, ${S(4)}`],
    [`Private: ${S(3)},${S(4)} PUBLIC: ${S(1)},${S(2)}`],
    // The checkbox's picked choices, joined.
    [`public:${S(1)} public:${S(2)} private:${S(3)} private:${S(4)}`],
  ])('%j splits into the two lists', (text) => {
    expect(parseSubnets(text)).toEqual({ ok: true, raw: [`${S(1)},${S(2)}`, `${S(3)},${S(4)}`] });
  });

  it.each([
    [`${S(1)},${S(2)}`, `say which list ${S(1)} belongs to`],
    [`public: ${S(1)},${S(2)}`, 'no private subnets given'],
    [`private: ${S(3)},${S(4)}`, 'no public subnets given'],
    [`public: ${S(1)} internal: ${S(3)}`, '"internal:" is not public: or private:'],
    [`public: private: ${S(3)}`, 'no public subnets given'],
  ])('%j is refused: %s', (text, message) => {
    const r = parseSubnets(text);
    expect(r.ok ? '' : r.message).toContain(message);
  });
});

describe('the paired question', () => {
  const essentials: OptionKey[] = ['vpcId', 'publicSubnetIds', 'privateSubnetIds', 'canaryPercent', 'canaryMinutes'];

  it('takes the place of both options, and the table rules judge each part (named) and the pair', () => {
    const qs = buildQuestions(essentials, {}, facts);
    expect(qs.map((q) => q.name)).toEqual(['vpcId', 'subnets', 'canary']);
    const subnets = byName(qs, 'subnets');
    const answers = { vpcId: 'vpc-0123456789abcdef0' };
    expect(subnets.validate!(`public: ${S(1)},${S(2)} private: ${S(3)},${S(4)}`, answers)).toBe(true);
    expect(subnets.validate!(`public: ${S(1)} private: ${S(3)},${S(4)}`, answers)).toBe(
      'public: needs at least 2 subnets in different Availability Zones, got 1',
    );
    expect(subnets.validate!(`public: ${S(1)},${S(2)} private: ${S(2)},${S(4)}`, answers)).toBe(
      `private: subnet in both the public and the private list: ${S(2)}`,
    );
    expect(subnets.validate!(`public: ${S(1)},${S(2)} private: subnet-x,${S(4)}`, answers)).toMatch(
      /^private: not a subnet id: subnet-x/,
    );
    // An account value: Enter leaves both lists for later.
    expect(subnets.validate!('', answers)).toBe(true);
    expect(subnets.filter!('')).toEqual({ publicSubnetIds: undefined, privateSubnetIds: undefined });
    const canary = byName(qs, 'canary');
    expect(canary.default).toBe('10% for 10 min');
    expect(canary.validate!('0 10', {})).toBe('percent: must be between 0.1 and 100, got 0');
    expect(canary.validate!('10 010', {})).toMatch(/^minutes: "010" is not a plain decimal number/);
    // The cross-field verdict with the default rollback window (10 min): at most 300 min together.
    expect(canary.validate!('10% for 290 min', {})).toBe(true);
    expect(canary.validate!('10% for 291 min', {})).toMatch(/keep the total at or below 300 min/);
  });

  it('codedeploy (answered before) narrows the percent, as --canary-percent is judged', () => {
    const canary = byName(buildQuestions(['deploymentEngine', 'canaryPercent', 'canaryMinutes'], {}, facts), 'canary');
    expect(canary.validate!('12.5 10', { deploymentEngine: 'codedeploy' })).toMatch(/^percent: .*for codedeploy/);
    expect(canary.validate!('12.5 10', { deploymentEngine: 'ecs' })).toBe(true);
  });

  it('an answer is stored under the two options, and what was understood is said', async () => {
    const said: string[] = [];
    const asked: string[] = [];
    const answers = await askQuestions(
      buildQuestions(essentials, {}, facts),
      async (q) => {
        asked.push(String(q.name));
        return {
          vpcId: 'vpc-0123456789abcdef0',
          subnets: `public: ${S(1)},${S(2)} private: ${S(3)},${S(4)}`,
          canary: '5 20',
        }[String(q.name)];
      },
      (l) => void said.push(l),
    );
    expect(asked).toEqual(['vpcId', 'subnets', 'canary']);
    expect(answers).toEqual({
      vpcId: 'vpc-0123456789abcdef0',
      publicSubnetIds: `${S(1)},${S(2)}`,
      privateSubnetIds: `${S(3)},${S(4)}`,
      canaryPercent: '5',
      canaryMinutes: '20',
    });
    expect(said).toEqual([
      `  public (load balancer): ${S(1)}, ${S(2)}; private (tasks): ${S(3)}, ${S(4)}`,
      '  the canary gets 5% of the traffic for 20 min, then the full shift',
      // The canary verdict's warning at the question it concerns (20 min bake: the alarm looks back past the rollback window).
      expect.stringMatching(
        /^warning: the canary alarm looks back \d+ min, longer than --rollback-window-minutes 10 \+ 2/,
      ),
    ]);
  });

  it('is not merged when one of its options is given (a flag) or waits behind the gate', () => {
    expect(buildQuestions(['canaryMinutes'], { canaryPercent: '5' }, facts).map((q) => q.name)).toEqual([
      'canaryMinutes',
    ]);
    expect(buildQuestions(['rollbackWindowMinutes', 'canaryMinutes'], {}, facts).map((q) => q.name)).toEqual([
      'canaryMinutes',
      'rollbackWindowMinutes',
    ]);
  });

  it('a saved pair is the default, as the user would type it (--ask)', () => {
    const saved = {
      publicSubnetIds: [S(1), S(2)],
      privateSubnetIds: [S(3), S(4)],
      canaryPercent: 2.5,
      canaryMinutes: 30,
      vpcId: 'vpc-0123456789abcdef0',
    };
    const qs = buildQuestions(essentials, saved, facts, { askAgain: true });
    expect(byName(qs, 'subnets').default).toBe(`public: ${S(1)},${S(2)}  private: ${S(3)},${S(4)}`);
    expect(byName(qs, 'canary').default).toBe('2.5% for 30 min');
  });
});
