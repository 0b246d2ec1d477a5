/**
 * The pre-deploy alarm gate, run as GitHub runs it (bash -e) with the real aws CLI against the loopback
 * AWS mock: it passes when no deployment alarm fires, waits for one to clear, fails naming the firing
 * or missing ones, honours the workflow_dispatch override, and reads only the alarms it is given.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsMock, ok } from './support/aws-mock.js';
import { goldenFile } from './support/goldens.js';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON/YAML that the test walks freely; a wrong path fails the assertion
const workflow = (scenario: string): { on: Record<string, any>; jobs: Record<string, { steps: Step[] }> } =>
  parse(goldenFile(scenario, '.github/workflows/deploy.yml'));
const gateOf = (scenario: string, job: string): Step =>
  workflow(scenario).jobs[job]!.steps.find((s) => s.name?.startsWith('Alarm gate'))!;

let mock: AwsMock;
beforeAll(async () => {
  mock = await AwsMock.start();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function run(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...mock.cliEnv(), ...env },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const NAMES = ['api-production-tg1-5xx-rate', 'api-production-tg2-5xx-rate', 'api-production-elb-5xx-rate'];
const states = (...alarm: string[]) =>
  ok({
    MetricAlarms: NAMES.map((AlarmName) => ({ AlarmName, StateValue: alarm.includes(AlarmName) ? 'ALARM' : 'OK' })),
  });
const gate = gateOf('defaults-ecs', 'deploy-production');
const env = (extra: Record<string, string> = {}) => ({
  ALARM_NAMES: NAMES.join(' '),
  GATE_WAIT_SECONDS: '60',
  GATE_POLL_SECONDS: '0',
  OVERRIDE: 'false',
  ...extra,
});

describe('the alarm gate step', () => {
  it('is in every deploy job of every engine, before the deployment starts, reading the environment variable', () => {
    for (const scenario of ['defaults-ecs', 'codedeploy-guide', 'staging-off']) {
      const wf = workflow(scenario);
      for (const [name, job] of Object.entries(wf.jobs).filter(([n]) => n.startsWith('deploy-'))) {
        const names = job.steps.map((s) => s.name ?? '');
        const at = names.findIndex((n) => n.startsWith('Alarm gate'));
        expect(at, `${scenario} ${name}`).toBeGreaterThan(0);
        expect(at, `${scenario} ${name}`).toBeLessThan(names.findIndex((n) => /Start the|Migrate/.test(n)));
        expect(job.steps[at]!.env!.ALARM_NAMES).toBe('${{ vars.DEPLOYMENT_ALARM_NAMES }}');
        expect(job.steps[at]!.env!.OVERRIDE).toBe(
          "${{ github.event_name == 'workflow_dispatch' && inputs.skip-alarm-gate }}",
        );
      }
      expect(wf.on.workflow_dispatch.inputs['skip-alarm-gate']).toMatchObject({ type: 'boolean', default: false });
    }
  });

  it('passes when no deployment alarm is in ALARM, asking only for the named metric alarms', async () => {
    mock.on('monitoring', 'DescribeAlarms', states());
    const r = await run(gate.run!, env());
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('none of the 3 deployment alarms is in ALARM');
    expect(mock.calls.map((c) => `${c.service}/${c.operation}`)).toEqual(['monitoring/DescribeAlarms']);
    expect(mock.calls[0]!.input).toEqual({ AlarmNames: NAMES, AlarmTypes: ['MetricAlarm'] });
  }, 60_000);

  it('waits while an alarm fires and passes once it has cleared', async () => {
    mock.script('monitoring', 'DescribeAlarms', [states(NAMES[0]!), states(NAMES[0]!), states()]);
    const r = await run(gate.run!, env());
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`waiting for ${NAMES[0]} to leave ALARM`);
    expect(mock.callsTo('monitoring', 'DescribeAlarms')).toHaveLength(3);
  }, 60_000);

  it('fails after the bounded wait, naming every firing alarm and the override', async () => {
    mock.on('monitoring', 'DescribeAlarms', states(NAMES[1]!, NAMES[2]!));
    const r = await run(gate.run!, env({ GATE_WAIT_SECONDS: '2', GATE_POLL_SECONDS: '1' }));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`::error::deployment alarm(s) in ALARM: ${NAMES[1]} ${NAMES[2]} - still firing`);
    expect(r.out).toContain('skip-alarm-gate');
  }, 60_000);

  it('fails when an alarm it was told about does not exist (stale DEPLOYMENT_ALARM_NAMES)', async () => {
    mock.on('monitoring', 'DescribeAlarms', ok({ MetricAlarms: [{ AlarmName: NAMES[0], StateValue: 'OK' }] }));
    const r = await run(gate.run!, env());
    expect(r.code).toBe(1);
    expect(r.out).toContain(`deployment alarm(s) not found: ${NAMES[1]} ${NAMES[2]}`);
  }, 60_000);

  it('fails clearly when the variable is not set, and is skipped only by the explicit override', async () => {
    const unset = await run(gate.run!, env({ ALARM_NAMES: '' }));
    expect(unset.code).toBe(1);
    expect(unset.out).toContain('GitHub variable DEPLOYMENT_ALARM_NAMES is not set');
    mock.on('monitoring', 'DescribeAlarms', states(NAMES[0]!));
    const skipped = await run(gate.run!, env({ OVERRIDE: 'true' }));
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('::warning::alarm gate skipped');
    expect(mock.calls).toEqual([]);
  }, 60_000);
});
