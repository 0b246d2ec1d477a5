/**
 * The generated rollback-drill workflow, its steps run as GitHub runs them (bash -e) with the real aws
 * CLI against the loopback AWS mock. Staging on the canary (custom-canary-ecs): the drill revision is
 * the running one plus DRILL_FAIL_PATH (the smoke test must fail). Staging on a rolling update, the
 * default (defaults-ecs): the running one plus DRILL_CRASH=1 (the circuit breaker must trip). Either
 * way in a shape the CLI's RegisterTaskDefinition model accepts; the drill passes only on
 * ROLLBACK_SUCCESSFUL within the predicted time and reports the measured detection and rollback times.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crashDrill as crashModel } from '../src/context/crash-model.js';
import { DRILL_ASSUMPTIONS } from '../src/context/drill.js';
import { AwsMock, ok, type AwsReply } from './support/aws-mock.js';
import { goldenFile } from './support/goldens.js';

interface Step {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const read = goldenFile;
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON/YAML that the test walks freely; a wrong path fails the assertion
type Workflow = { on: Record<string, any>; jobs: Record<string, { environment: string; steps: Step[] }> };
const workflow = (scenario: string): Workflow =>
  parse(read(scenario, '.github/workflows/rollback-drill.yml')) as Workflow;
const drill = workflow('custom-canary-ecs');
const crashDrill = workflow('defaults-ecs');
const job = drill.jobs['drill-staging']!;
const step = (id: string, w: Workflow = drill): Step => w.jobs['drill-staging']!.steps.find((s) => s.id === id)!;
/** A step's env without the values GitHub fills in (`${{ … }}`), which the test supplies. */
const literalEnv = (s: Step): Record<string, string> =>
  Object.fromEntries(
    Object.entries(s.env ?? {})
      .filter(([, v]) => !String(v).includes('${{'))
      .map(([k, v]) => [k, String(v)]),
  );

const CURRENT = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api-staging:7';
const DRILL = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api-staging:8';
const DEPLOYMENT = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/api-staging/api/d1';

let mock: AwsMock;
beforeAll(async () => {
  mock = await AwsMock.start();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number; out: string; outputs: Record<string, string> }> {
  const tmp = mkdtempSync(join(tmpdir(), 'ccp-drill-'));
  const outputFile = join(tmp, 'out');
  writeFileSync(outputFile, '');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...mock.cliEnv(),
        RUNNER_TEMP: tmp,
        GITHUB_OUTPUT: outputFile,
        CONTAINER_NAME: 'api',
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=') as [string, string]),
      );
      resolve({ code: code ?? -1, out, outputs });
    });
  });
}

/** What DescribeTaskDefinition returns: the registration input plus read-only fields. */
const described = {
  taskDefinitionArn: CURRENT,
  revision: 7,
  status: 'ACTIVE',
  registeredAt: 1_800_000_000,
  registeredBy: 'arn:aws:iam::123456789012:role/x',
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
  family: 'api-staging',
  taskRoleArn: 'arn:aws:iam::123456789012:role/task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
  volumes: [{ name: 'tmp' }],
  containerDefinitions: [
    {
      name: 'api',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:' + 'a'.repeat(64),
      essential: true,
      environment: [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'DRILL_FAIL_PATH', value: '/old' },
      ],
    },
  ],
};

describe('the rollback drill workflow', () => {
  it('is a manual, staging-only job with the deploy role, and exists only for the ECS engine with staging', () => {
    expect(Object.keys(drill.on)).toEqual(['workflow_dispatch']);
    expect(drill.on.workflow_dispatch.inputs['fail-path'].default).toBe('/readyz');
    expect(job.environment).toBe('staging');
    expect(job.steps[0]!.with!['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    // Rolling staging (the default): a crash drill, so no fail-path input.
    expect(Object.keys(crashDrill.on)).toEqual(['workflow_dispatch']);
    expect(crashDrill.on.workflow_dispatch).toBeNull();
    expect(crashDrill.jobs['drill-staging']!.environment).toBe('staging');
    expect(() => read('codedeploy-guide', '.github/workflows/rollback-drill.yml')).toThrow();
    expect(() => read('staging-off', '.github/workflows/rollback-drill.yml')).toThrow();
  });

  it('registers the running revision again with DRILL_FAIL_PATH, as the CLI model accepts it', async () => {
    mock.on('ecs', 'DescribeServices', ok({ services: [{ taskDefinition: CURRENT }] }));
    mock.on('ecs', 'DescribeTaskDefinition', ok({ taskDefinition: described }));
    mock.on('ecs', 'RegisterTaskDefinition', ok({ taskDefinition: { taskDefinitionArn: DRILL } }));
    const s = step('revision');
    const r = await run(s.run!, { CLUSTER: 'api-staging', SERVICE: 'api', ...literalEnv(s), DRILL_VALUE: '/readyz' });
    expect(r.code, r.out).toBe(0);
    expect(r.outputs.drill).toBe(DRILL);
    const input = mock.callsTo('ecs', 'RegisterTaskDefinition')[0]!.input as typeof described;
    expect(Object.keys(input).sort()).toEqual([
      'containerDefinitions',
      'cpu',
      'executionRoleArn',
      'family',
      'memory',
      'networkMode',
      'requiresCompatibilities',
      'runtimePlatform',
      'taskRoleArn',
      'volumes',
    ]);
    expect(input.containerDefinitions[0]!.environment).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'DRILL_FAIL_PATH', value: '/readyz' },
    ]);
  }, 60_000);

  it('in rolling staging, registers the running revision again with DRILL_CRASH=1 and no DRILL_FAIL_PATH, as the CLI model accepts it', async () => {
    mock.on('ecs', 'DescribeServices', ok({ services: [{ taskDefinition: CURRENT }] }));
    mock.on('ecs', 'DescribeTaskDefinition', ok({ taskDefinition: described }));
    mock.on('ecs', 'RegisterTaskDefinition', ok({ taskDefinition: { taskDefinitionArn: DRILL } }));
    const s = step('revision', crashDrill);
    expect(s.env).toMatchObject({ DRILL_VARIABLE: 'DRILL_CRASH', DRILL_VALUE: '1' });
    const r = await run(s.run!, { CLUSTER: 'api-staging', SERVICE: 'api', ...literalEnv(s) });
    expect(r.code, r.out).toBe(0);
    expect(r.outputs.drill).toBe(DRILL);
    const input = mock.callsTo('ecs', 'RegisterTaskDefinition')[0]!.input as typeof described;
    expect(input.containerDefinitions[0]!.environment).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'DRILL_CRASH', value: '1' },
    ]);
  }, 60_000);

  it('refuses /livez and anything that is not a path, before calling AWS', async () => {
    for (const DRILL_VALUE of ['/livez', 'readyz', '/a b']) {
      const r = await run(step('revision').run!, {
        CLUSTER: 'c',
        SERVICE: 's',
        ...literalEnv(step('revision')),
        DRILL_VALUE,
      });
      expect(r.code, DRILL_VALUE).toBe(1);
      expect(r.out).toContain('fail-path must be a path');
    }
    expect(mock.calls).toEqual([]);
  }, 60_000);

  const deployment = (status: string, extra: Record<string, unknown> = {}): AwsReply =>
    ok({ serviceDeployments: [{ serviceDeploymentArn: DEPLOYMENT, status, startedAt: 1_800_000_000, ...extra }] });
  const measureEnv = {
    CLUSTER: 'api-staging',
    SERVICE: 'api',
    DRILL_TASKDEF: DRILL,
    DEADLINE_MINUTES: '1',
    POLL_SECONDS: '0',
  };
  const wire = (): void => {
    mock.on('ecs', 'UpdateService', ok({ service: { serviceName: 'api' } }));
    mock.on(
      'ecs',
      'ListServiceDeployments',
      ok({ serviceDeployments: [{ serviceDeploymentArn: DEPLOYMENT, createdAt: 1_800_000_000 }] }),
    );
  };

  it('passes on ROLLBACK_SUCCESSFUL and reports detection and rollback times', async () => {
    wire();
    mock.script('ecs', 'DescribeServiceDeployments', [
      deployment('IN_PROGRESS'),
      deployment('ROLLBACK_IN_PROGRESS', { rollback: { startedAt: 1_800_000_150 } }),
      deployment('ROLLBACK_SUCCESSFUL', { rollback: { startedAt: 1_800_000_150 }, finishedAt: 1_800_000_240 }),
    ]);
    const r = await run(step('measure').run!, measureEnv);
    expect(r.code, r.out).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', detection: '150', rollback: '90' });
    expect(mock.callsTo('ecs', 'UpdateService')[0]!.input).toEqual({
      cluster: 'api-staging',
      service: 'api',
      taskDefinition: DRILL,
    });
  }, 60_000);

  it('fails when the failing revision was deployed instead of rolled back, or rolled back too late', async () => {
    wire();
    mock.on('ecs', 'DescribeServiceDeployments', deployment('SUCCESSFUL'));
    const deployed = await run(step('measure').run!, measureEnv);
    expect(deployed.code).toBe(1);
    expect(deployed.out).toContain('nothing rolled it back');
    mock.reset();
    wire();
    mock.on('ecs', 'DescribeServiceDeployments', deployment('IN_PROGRESS'));
    const late = await run(step('measure').run!, { ...measureEnv, DEADLINE_MINUTES: '0' });
    expect(late.code).toBe(1);
    expect(late.out).toContain('no rollback within the predicted 0 min');
  }, 60_000);

  describe('in rolling staging (the circuit-breaker chain)', () => {
    const measure = (): Step => step('measure', crashDrill);
    const breaker = (status: string, failureCount: number) => ({
      deploymentCircuitBreaker: { status, failureCount, threshold: 3 },
    });
    const rolledBack = (b: Record<string, unknown>): AwsReply =>
      deployment('ROLLBACK_SUCCESSFUL', {
        rollback: { startedAt: 1_800_000_400, reason: 'circuit breaker' },
        finishedAt: 1_800_000_520,
        ...b,
      });

    it("predicts the crash model's time for staging plus the rollback, and waits that long", () => {
      const staging = crashModel('staging', 1);
      expect(measure().env!.DEADLINE_MINUTES).toBe(String(staging.maxMinutes + DRILL_ASSUMPTIONS.rollbackMaxMinutes));
    });

    it('passes when the circuit breaker tripped, and reports its failed-task count and the reason', async () => {
      wire();
      mock.script('ecs', 'DescribeServiceDeployments', [
        deployment('IN_PROGRESS', breaker('MONITORING', 1)),
        rolledBack(breaker('TRIGGERED', 3)),
      ]);
      const r = await run(measure().run!, measureEnv);
      expect(r.code, r.out).toBe(0);
      expect(r.outputs).toMatchObject({
        status: 'ROLLBACK_SUCCESSFUL',
        breaker: 'TRIGGERED',
        failed_tasks: '3',
        threshold: '3',
        detection: '400',
        rollback: '120',
        reason: 'circuit breaker',
      });
      expect(r.out).not.toContain('::warning::');
    }, 60_000);

    it('fails when the circuit breaker is off, and warns when something else rolled back first', async () => {
      wire();
      mock.on('ecs', 'DescribeServiceDeployments', rolledBack(breaker('DISABLED', 0)));
      const off = await run(measure().run!, measureEnv);
      expect(off.code).toBe(1);
      expect(off.out).toContain('circuit breaker is off');
      mock.reset();
      wire();
      mock.on('ecs', 'DescribeServiceDeployments', rolledBack(breaker('MONITORING', 1)));
      const other = await run(measure().run!, measureEnv);
      expect(other.code, other.out).toBe(0);
      expect(other.out).toContain('::warning::');
      expect(other.out).toContain('something else rolled the drill back first');
    }, 60_000);

    it('fails, naming DRILL_CRASH, when the crashing revision was deployed', async () => {
      wire();
      mock.on('ecs', 'DescribeServiceDeployments', deployment('SUCCESSFUL', breaker('MONITORING_COMPLETE', 0)));
      const r = await run(measure().run!, measureEnv);
      expect(r.code).toBe(1);
      expect(r.out).toContain('DRILL_CRASH=1');
    }, 60_000);
  });
});
