/**
 * The AWS CLI calls left in the generated workflow, run with the real `aws` CLI (preinstalled) against
 * a loopback endpoint that records each request. The CLI validates every parameter against its own
 * service model before sending, so a wrong flag, shape or value fails here, not in a user's pipeline.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Recorded {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

const workflow = parse(readFileSync(new URL('./scenarios/defaults-ecs/expected/.github/workflows/deploy.yml', import.meta.url), 'utf8')) as {
  jobs: Record<string, { steps: Array<{ name?: string; run?: string; env?: Record<string, string> }> }>;
};
const waitStep = workflow.jobs['deploy-production']!.steps.find((s) => s.name?.startsWith('Wait for the service deployment'))!;

let server: Server;
let endpoint = '';
let recorded: Recorded[] = [];
let deploymentStatus = 'SUCCESSFUL';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    recorded.push({ target, body: JSON.parse((await readBody(req)) || '{}') as Record<string, unknown> });
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/api-production/api/abc';
    const reply = target.endsWith('.ListServiceDeployments')
      ? { serviceDeployments: [{ serviceDeploymentArn: arn, createdAt: 1_800_000_000 }] }
      : { serviceDeployments: [{ serviceDeploymentArn: arn, status: deploymentStatus, lifecycleStage: 'BAKE_TIME' }] };
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Run bash with the AWS CLI pointed at the recorder (fake credentials, no metadata lookups). */
function runBash(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  recorded = [];
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], {
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_ENDPOINT_URL: endpoint, AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1', ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const stepEnv = { CLUSTER: 'api-production', SERVICE: 'api', STARTED_AT: '1800000000', WAIT_MINUTES: '2' };

describe('AWS CLI calls in the generated workflow', () => {
  it('the deployment wait step passes the CLI model and sends the expected requests', async () => {
    deploymentStatus = 'SUCCESSFUL';
    const r = await runBash(waitStep.run!, stepEnv);
    expect(r.output).toContain('status=SUCCESSFUL');
    expect(r.code).toBe(0);
    expect(recorded.map((x) => x.target)).toEqual([
      'AmazonEC2ContainerServiceV20141113.ListServiceDeployments',
      'AmazonEC2ContainerServiceV20141113.DescribeServiceDeployments',
    ]);
    expect(recorded[0]!.body).toEqual({ cluster: 'api-production', service: 'api', createdAt: { after: 1_800_000_000 } });
    expect(recorded[1]!.body).toEqual({ serviceDeploymentArns: [expect.stringContaining(':service-deployment/')] });
  }, 60_000);

  it('the wait step fails when the deployment rolled back', async () => {
    deploymentStatus = 'ROLLBACK_SUCCESSFUL';
    const r = await runBash(waitStep.run!, stepEnv);
    expect(r.code).toBe(1);
    expect(r.output).toContain('::error::service deployment ended in ROLLBACK_SUCCESSFUL');
  }, 60_000);

  it('the same harness rejects a call the CLI model does not accept, before anything is sent', async () => {
    const r = await runBash('aws ecs list-service-deployments --cluster c --service s --created-at "after=yesterday-ish"', {});
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Invalid type for parameter createdAt.after');
    expect(recorded).toEqual([]);
    const r2 = await runBash('aws ecs list-service-deployments --cluster c --service s --created-at "later=1"', {});
    expect(r2.code).not.toBe(0);
    expect(r2.output).toContain('Unknown parameter in createdAt: "later"');
    expect(recorded).toEqual([]);
  }, 60_000);
});

/** Every task definition in the golden scenarios, with its placeholders filled as the workflow's fill step does. */
function goldenTaskDefinitions(): Array<[string, string]> {
  const root = new URL('./scenarios/', import.meta.url).pathname;
  const out: Array<[string, string]> = [];
  for (const scenario of readdirSync(root)) {
    const dir = join(root, scenario, 'expected/.aws');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /^taskdef\..+\.json$/.test(f));
    } catch {
      continue;
    }
    for (const f of files) out.push([`${scenario}/${f}`, readFileSync(join(dir, f), 'utf8')]);
  }
  return out;
}

function fillPlaceholders(text: string): string {
  const filled = text.replace(/"<([A-Z0-9_]+)>"/g, (_m, name: string) =>
    JSON.stringify(name.endsWith('ROLE_ARN') ? `arn:aws:iam::123456789012:role/${name.toLowerCase()}` : `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name.toLowerCase()}-AbCdEf`));
  const json = JSON.parse(filled) as { containerDefinitions: Array<{ image: string }> };
  for (const c of json.containerDefinitions) c.image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:' + 'a'.repeat(64);
  return JSON.stringify(json);
}

describe('task definitions through the AWS CLI model (register-task-definition --cli-input-json)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ccp-taskdef-'));
  const defs = goldenTaskDefinitions();
  it('finds the golden task definitions', () => {
    expect(defs.length).toBeGreaterThanOrEqual(10);
  });
  it.each(defs)('%s is accepted and sent as RegisterTaskDefinition', async (name, text) => {
    const file = join(scratch, name.replace(/\//g, '_'));
    writeFileSync(file, fillPlaceholders(text));
    const r = await runBash(`aws ecs register-task-definition --cli-input-json "file://${file}"`, {});
    expect(r.code, r.output).toBe(0);
    expect(recorded.map((x) => x.target)).toEqual(['AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition']);
    expect(recorded[0]!.body.family).toBe(JSON.parse(text).family);
  }, 30_000);
  it('rejects a malformed task definition before sending it', async () => {
    const [, text] = defs[0]!;
    const bad = JSON.parse(fillPlaceholders(text)) as { containerDefinitions: Array<Record<string, unknown>> };
    bad.containerDefinitions[0]!.stopTimeOut = 30; // typo of stopTimeout
    const file = join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await runBash(`aws ecs register-task-definition --cli-input-json "file://${file}"`, {});
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Unknown parameter in containerDefinitions[0]: "stopTimeOut"');
    expect(recorded).toEqual([]);
  }, 30_000);
});
