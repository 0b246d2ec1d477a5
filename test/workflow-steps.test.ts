/**
 * The generated workflow's own scripts, run as GitHub runs them: each `run:` block is taken from the
 * rendered deploy.yml and executed with bash, the real aws CLI (which validates every parameter against
 * its service model) pointed at a loopback mock of ECS, ECR and CodeDeploy, and fake sleep/date/docker.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsMock, awsError, ok, serverError, type AwsCall, type AwsReply } from './support/aws-mock.js';
import { renderWorkflow, runStep, step, type Workflow } from './support/workflow-runner.js';

let mock: AwsMock;
beforeAll(async () => {
  mock = await AwsMock.start();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const ecs = renderWorkflow();
const codedeploy = renderWorkflow({ deploymentEngine: 'codedeploy' });

const ACCOUNT = 'arn:aws:ecs:eu-west-1:123456789012';
const OUR_TASKDEF = `${ACCOUNT}:task-definition/api-production:42`;
const OTHER_TASKDEF = `${ACCOUNT}:task-definition/api-production:41`;
const OURS = `${ACCOUNT}:service-deployment/api-production/api/ours`;
const OTHER = `${ACCOUNT}:service-deployment/api-production/api/other`;
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('ECS: the wait for the service deployment', () => {
  const wait = step(ecs.wf, 'deploy-production', 'Wait for the service deployment');
  const env: Record<string, string> = {
    ...wait.env!,
    CLUSTER: 'api-production',
    SERVICE: 'api',
    TASK_DEFINITION_ARN: OUR_TASKDEF,
    STARTED_AT: '1799999990',
  };

  /** Two deployments after the start: an older one of another revision, and the one for our task definition. */
  function deployments(): void {
    mock.on(
      'ecs',
      'ListServiceDeployments',
      ok({
        serviceDeployments: [
          {
            serviceDeploymentArn: OTHER,
            targetServiceRevisionArn: `${ACCOUNT}:service-revision/api-production/api/r41`,
            createdAt: 1_799_999_995,
          },
          {
            serviceDeploymentArn: OURS,
            targetServiceRevisionArn: `${ACCOUNT}:service-revision/api-production/api/r42`,
            createdAt: 1_800_000_001,
          },
        ],
      }),
    );
    mock.on('ecs', 'DescribeServiceRevisions', (call: AwsCall) =>
      ok({
        serviceRevisions: (call.input.serviceRevisionArns as string[]).map((arn) => ({
          serviceRevisionArn: arn,
          taskDefinition: arn.endsWith('r42') ? OUR_TASKDEF : OTHER_TASKDEF,
        })),
      }),
    );
  }
  const status = (s: string, stage: string, statusReason?: string) =>
    ok({
      serviceDeployments: [
        { serviceDeploymentArn: OURS, status: s, lifecycleStage: stage, ...(statusReason ? { statusReason } : {}) },
      ],
    });
  const polled = (): string[] =>
    mock.callsTo('ecs', 'DescribeServiceDeployments').map((c) => (c.input.serviceDeploymentArns as string[])[0]!);

  it('follows the deployment of the registered task definition until SUCCESSFUL', async () => {
    deployments();
    mock.script('ecs', 'DescribeServiceDeployments', [
      status('PENDING', 'RECONCILE_SERVICE'),
      status('IN_PROGRESS', 'BAKE_TIME'),
      status('SUCCESSFUL', 'CLEAN_UP'),
    ]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code, r.output).toBe(0);
    expect(r.outputs.outcome).toBe('succeeded');
    expect(polled()).toEqual([OURS, OURS, OURS]);
    expect(mock.callsTo('ecs', 'ListServiceDeployments')[0]!.input).toEqual({
      cluster: 'api-production',
      service: 'api',
      createdAt: { after: 1_799_999_990 },
    });
    expect(r.output).toContain(`service deployment: ${OURS}`);
  });

  it('waits through ROLLBACK_REQUESTED and ROLLBACK_IN_PROGRESS, then fails as rolled back with the reason', async () => {
    deployments();
    const reason = 'Service deployment rolled back because alarm api-production-green-5xx is in ALARM state.';
    mock.script('ecs', 'DescribeServiceDeployments', [
      status('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT'),
      status('ROLLBACK_REQUESTED', 'PRODUCTION_TRAFFIC_SHIFT', reason),
      status('ROLLBACK_IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', reason),
      status('ROLLBACK_SUCCESSFUL', 'CLEAN_UP', reason),
    ]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('rolled-back');
    expect(polled()).toHaveLength(4);
    expect(r.output).toContain('::error::ECS rolled the deployment back');
    expect(r.output).toContain(reason);
    expect(r.output).toMatch(/ROLLBACK_IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT: Service deployment rolled back/);
  });

  it('tells a failed rollback apart: its own error and outcome', async () => {
    deployments();
    mock.script('ecs', 'DescribeServiceDeployments', [
      status('ROLLBACK_IN_PROGRESS', 'SCALE_UP', 'tasks failed'),
      status('ROLLBACK_FAILED', 'SCALE_UP', 'tasks failed to start'),
    ]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('rollback-failed');
    expect(r.output).toContain('::error::ROLLBACK FAILED');
    expect(r.output).toContain('tasks failed to start');
    expect(r.output).not.toContain('ECS rolled the deployment back');
  });

  it('fails on STOPPED', async () => {
    deployments();
    mock.on('ecs', 'DescribeServiceDeployments', status('STOPPED', 'CLEAN_UP', 'stopped by a newer deployment'));
    const r = await runStep(wait.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('stopped');
    expect(r.output).toContain('stopped by a newer deployment');
  });

  it('rides out transient errors (a 500, throttling) and still reports the outcome', async () => {
    deployments();
    mock.script('ecs', 'DescribeServiceDeployments', [
      serverError(),
      status('IN_PROGRESS', 'BAKE_TIME'),
      awsError('ThrottlingException', 'Rate exceeded'),
      status('SUCCESSFUL', 'CLEAN_UP'),
    ]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code, r.output).toBe(0);
    expect(r.outputs.outcome).toBe('succeeded');
    expect(r.output.match(/::warning::aws ecs describe-service-deployments failed \(1 in a row\)/g)).toHaveLength(2);
  });

  it('gives up after MAX_FAILED_POLLS failures in a row, as unknown', async () => {
    deployments();
    mock.on('ecs', 'DescribeServiceDeployments', serverError());
    const r = await runStep(wait.run!, { ...env, MAX_FAILED_POLLS: '3' }, mock); // rendered: 8; fewer aws runs here
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('unknown');
    expect(polled()).toHaveLength(3);
    expect(r.output).toContain('::error::3 AWS calls in a row failed');
  });

  it('is bounded by WAIT_MINUTES, polling every POLL_SECONDS', async () => {
    deployments();
    mock.on('ecs', 'DescribeServiceDeployments', status('IN_PROGRESS', 'BAKE_TIME'));
    // The rendered bound, shortened so the test polls a handful of times (the clock is fake either way).
    const r = await runStep(wait.run!, { ...env, WAIT_MINUTES: '1' }, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('timed-out');
    expect(r.output).toContain('no terminal state after 1 min');
    const polls = 60 / Number(env.POLL_SECONDS);
    expect(polled().length).toBeGreaterThanOrEqual(polls);
    expect(polled().length).toBeLessThanOrEqual(polls + 2);
  }, 180_000);

  it('does not follow a deployment of another revision', async () => {
    mock.on(
      'ecs',
      'ListServiceDeployments',
      ok({
        serviceDeployments: [
          { serviceDeploymentArn: OTHER, targetServiceRevisionArn: `${ACCOUNT}:service-revision/x/y/r41` },
        ],
      }),
    );
    mock.on('ecs', 'DescribeServiceRevisions', ok({ serviceRevisions: [{ taskDefinition: OTHER_TASKDEF }] }));
    const r = await runStep(wait.run!, { ...env, DISCOVERY_MINUTES: '1' }, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('unknown');
    expect(r.output).toContain(`no service deployment of api runs ${OUR_TASKDEF} after 1 min`);
    expect(polled()).toEqual([]);
    expect(mock.callsTo('ecs', 'ListServiceDeployments').length).toBeGreaterThanOrEqual(60 / Number(env.POLL_SECONDS));
  }, 180_000);

  it('every environment follows its own deployment with its own bound (staging: the rolling update)', () => {
    for (const e of ecs.ctx.environments) {
      const w = step(ecs.wf, `deploy-${e.name}`, 'Wait for the service deployment');
      expect(w.env!.WAIT_MINUTES).toBe(String(e.timing.deploymentWaitMinutes));
      expect(w.env!.TASK_DEFINITION_ARN).toBe('${{ steps.deploy.outputs.task-definition-arn }}');
      expect(w.name).toContain(e.isCanary ? 'canary' : 'rolling update');
    }
  });
});

describe('CodeDeploy: the wait for the deployment and its rollback', () => {
  const wait = step(codedeploy.wf, 'deploy-production', 'Wait for the CodeDeploy deployment');
  const env: Record<string, string> = { ...wait.env!, DEPLOYMENT_ID: 'd-FIRST' };
  const info = (status: string, rollbackDeploymentId?: string, message?: string) =>
    ok({
      deploymentInfo: {
        deploymentId: 'x',
        status,
        ...(rollbackDeploymentId ? { rollbackInfo: { rollbackDeploymentId } } : {}),
        ...(message ? { errorInformation: { code: 'ALARM_ACTIVE', message } } : {}),
      },
    });
  /** Scripted replies per deployment id (the last one repeats). */
  function deployments(first: AwsReply[], rollback: AwsReply[] = []): void {
    const queues: Record<string, AwsReply[]> = { 'd-FIRST': first, 'd-ROLLBACK': rollback };
    mock.on('codedeploy', 'GetDeployment', (call) => {
      const q = queues[call.input.deploymentId as string]!;
      return q.length > 1 ? q.shift()! : q[0]!;
    });
  }
  const ids = (): string[] => mock.callsTo('codedeploy', 'GetDeployment').map((c) => c.input.deploymentId as string);

  it('passes when the deployment succeeds', async () => {
    deployments([info('InProgress'), info('Baking'), info('Succeeded')]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code, r.output).toBe(0);
    expect(r.outputs.outcome).toBe('succeeded');
    expect(ids()).toEqual(['d-FIRST', 'd-FIRST', 'd-FIRST']);
  });

  it('follows the rollback deployment: rolled back when it succeeds', async () => {
    deployments(
      [info('InProgress'), info('Stopped', 'd-ROLLBACK', 'alarm api-production-blue-5xx')],
      [info('InProgress'), info('Succeeded')],
    );
    const r = await runStep(wait.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('rolled-back');
    expect(r.output).toContain('::error::CodeDeploy rolled the deployment back');
    expect(r.output).toContain('alarm api-production-blue-5xx');
    expect(ids().slice(-2)).toEqual(['d-ROLLBACK', 'd-ROLLBACK']);
  });

  it('rollback failed when the rollback deployment fails', async () => {
    deployments([info('Failed', 'd-ROLLBACK', 'tasks unhealthy')], [info('Failed', undefined, 'no old task set')]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.outputs.outcome).toBe('rollback-failed');
    expect(r.output).toContain('::error::ROLLBACK FAILED');
  });

  it('gives CodeDeploy its discovery time to name the rollback from the failure on, not from the start', async () => {
    const inProgress = Array.from({ length: 6 }, () => info('InProgress')); // 6 polls of 15 s: past a 1-minute bound
    deployments([...inProgress, info('Failed'), info('Failed', 'd-ROLLBACK')], [info('Succeeded')]);
    const r = await runStep(wait.run!, { ...env, DISCOVERY_MINUTES: '1' }, mock);
    expect(r.outputs.outcome, r.output).toBe('rolled-back');
  });

  it('waits for CodeDeploy to name the rollback deployment, and survives a 500', async () => {
    deployments([serverError(), info('InProgress'), info('Failed'), info('Failed', 'd-ROLLBACK')], [info('Succeeded')]);
    const r = await runStep(wait.run!, env, mock);
    expect(r.outputs.outcome, r.output).toBe('rolled-back');
    expect(r.output).toContain('::warning::aws deploy get-deployment failed (1 in a row)');
  });

  it('the action does not wait for the deployment: its wait-for-minutes bounds only the migration', () => {
    for (const e of codedeploy.ctx.environments) {
      const deploy = step(codedeploy.wf, `deploy-${e.name}`, 'Migrate');
      expect(deploy.with!['wait-for-service-stability']).toBe(false);
      expect(deploy.with!['wait-for-minutes']).toBe(e.timing.actionWaitMinutes);
    }
  });
});

describe('the build step: a new image, or on a re-run the image the immutable tag already names', () => {
  const build = step(ecs.wf, 'build', 'Build and push the image');
  const env = { REGISTRY: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', REPOSITORY: 'api', IMAGE_TAG: 'c0ffee' };
  const image = `${env.REGISTRY}/api@${DIGEST}`;

  it('builds, pushes, and passes on the digest ECR reports for the tag', async () => {
    mock.script('ecr', 'DescribeImages', [
      awsError('ImageNotFoundException', "The image with imageId {imageTag:'c0ffee'} does not exist"),
      ok({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['c0ffee'] }] }),
    ]);
    const r = await runStep(build.run!, env, mock);
    expect(r.code, r.output).toBe(0);
    expect(r.docker).toEqual([`build --pull --tag ${env.REGISTRY}/api:c0ffee .`, `push ${env.REGISTRY}/api:c0ffee`]);
    expect(r.outputs.image).toBe(image);
    expect(mock.callsTo('ecr', 'DescribeImages').map((c) => c.input)).toEqual([
      { repositoryName: 'api', imageIds: [{ imageTag: 'c0ffee' }] },
      { repositoryName: 'api', imageIds: [{ imageTag: 'c0ffee' }] },
    ]);
  });

  it('a re-run finds the tag taken: no build, no push, the same digest', async () => {
    mock.on('ecr', 'DescribeImages', ok({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['c0ffee'] }] }));
    const r = await runStep(build.run!, env, mock);
    expect(r.code, r.output).toBe(0);
    expect(r.docker).toEqual([]);
    expect(r.outputs.image).toBe(image);
    expect(r.output).toContain('::notice::api:c0ffee exists already (a re-run)');
  });

  it('any other lookup error fails the step before building (e.g. the role lacks ecr:DescribeImages)', async () => {
    mock.on(
      'ecr',
      'DescribeImages',
      awsError('AccessDeniedException', 'not authorized to perform: ecr:DescribeImages'),
    );
    const r = await runStep(build.run!, env, mock);
    expect(r.code).toBe(1);
    expect(r.docker).toEqual([]);
    expect(r.output).toContain('::error::cannot look up api:c0ffee in ECR');
    expect(r.output).toContain('AccessDeniedException');
    expect(r.outputs.image).toBeUndefined();
  });
});

describe("the variable checks: each job's first step", () => {
  const jobs = (wf: Workflow): Array<[string, string]> =>
    Object.keys(wf.jobs)
      .filter((j) => j === 'build' || j.startsWith('deploy-'))
      .map((j) => [
        j,
        j === 'build' ? "Check the repository's GitHub variables" : "Check the environment's GitHub variables",
      ]);

  it.each([
    ['ecs', ecs],
    ['codedeploy', codedeploy],
  ] as const)('%s: checks every variable its job reads, before anything else', (_engine, t) => {
    for (const [job, name] of jobs(t.wf)) {
      const check = step(t.wf, job, name);
      expect(t.wf.jobs[job]!.steps[0], job).toBe(check);
      const read = new Set([...JSON.stringify(t.wf.jobs[job]).matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!));
      expect(check.env!.REQUIRED!.split(' ').sort(), job).toEqual([...read].sort());
    }
  });

  it.each(['build', 'deploy-staging', 'deploy-production'])(
    '%s: passes when every variable is set, names each missing one',
    async (job) => {
      const check = step(ecs.wf, job, 'Check the');
      const names = check.env!.REQUIRED!.split(' ');
      const base = { REQUIRED: check.env!.REQUIRED!, SCOPE: check.env!.SCOPE! };
      const all = Object.fromEntries(names.map((n) => [n, `value-of-${n}`]));
      const good = await runStep(check.run!, { ...base, ...all }, mock);
      expect(good.code, good.output).toBe(0);
      const missing = [names[0]!, names[names.length - 1]!];
      const bad = await runStep(check.run!, { ...base, ...all, [missing[0]!]: '', [missing[1]!]: '' }, mock);
      expect(bad.code).toBe(1);
      for (const m of missing)
        expect(bad.output).toContain(`::error::GitHub variable ${m} is not set for ${base.SCOPE}`);
      expect(bad.output.match(/::error::GitHub variable/g)).toHaveLength(2);
      expect(bad.output).toContain('docs/DEPLOYMENT.md, "First deployment"');
      expect(mock.calls).toEqual([]);
    },
  );
});
