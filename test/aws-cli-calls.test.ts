/**
 * AWS CLI calls run with the real `aws` CLI (preinstalled) against the loopback AwsMock, which records
 * each request. The CLI validates every parameter against its own service model before sending, so a
 * wrong flag, shape or value fails here, not in a user's pipeline. The workflow's own scripts (wait
 * steps, image build) run the same way in workflow-steps.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsMock, ok } from './support/aws-mock.js';
import { scenarioGolden, scenarioNames } from './support/goldens.js';

let mock: AwsMock;
beforeAll(async () => {
  mock = await AwsMock.start();
});
afterAll(() => mock.close());

/** Run bash with the AWS CLI pointed at the mock (fake credentials, no metadata lookups); the mock is reset first. */
function runBash(script: string): Promise<{ code: number; output: string }> {
  mock.reset();
  mock.on('ecs', 'RegisterTaskDefinition', (call) =>
    ok({ taskDefinition: { family: call.input.family, revision: 1 } }),
  );
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...mock.cliEnv() },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('the CLI model, before anything is sent', () => {
  it('rejects a call the CLI model does not accept', async () => {
    const r = await runBash(
      'aws ecs list-service-deployments --cluster c --service s --created-at "after=yesterday-ish"',
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Invalid type for parameter createdAt.after');
    expect(mock.calls).toEqual([]);
    const r2 = await runBash('aws ecs list-service-deployments --cluster c --service s --created-at "later=1"');
    expect(r2.code).not.toBe(0);
    expect(r2.output).toContain('Unknown parameter in createdAt: "later"');
    expect(mock.calls).toEqual([]);
  }, 60_000);
});

/** Every task definition in the golden scenarios, with its placeholders filled as the workflow's fill step does. */
function goldenTaskDefinitions(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const scenario of scenarioNames()) {
    for (const [f, text] of scenarioGolden(scenario))
      if (/^\.aws\/taskdef\..+\.json$/.test(f)) out.push([`${scenario}/${f.slice('.aws/'.length)}`, text]);
  }
  return out;
}

function fillPlaceholders(text: string): string {
  const filled = text.replace(/"<([A-Z0-9_]+)>"/g, (_m, name: string) =>
    JSON.stringify(
      name.endsWith('ROLE_ARN')
        ? `arn:aws:iam::123456789012:role/${name.toLowerCase()}`
        : `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name.toLowerCase()}-AbCdEf`,
    ),
  );
  const json = JSON.parse(filled) as { containerDefinitions: Array<{ image: string }> };
  for (const c of json.containerDefinitions)
    c.image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:' + 'a'.repeat(64);
  return JSON.stringify(json);
}

describe('task definitions through the AWS CLI model (register-task-definition --cli-input-json)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ccp-taskdef-'));
  const defs = goldenTaskDefinitions();
  it('finds the golden task definitions', () => {
    expect(defs.length).toBeGreaterThanOrEqual(10);
  });
  it.each(defs)(
    '%s is accepted and sent as RegisterTaskDefinition',
    async (name, text) => {
      const file = join(scratch, name.replace(/\//g, '_'));
      writeFileSync(file, fillPlaceholders(text));
      const r = await runBash(`aws ecs register-task-definition --cli-input-json "file://${file}"`);
      expect(r.code, r.output).toBe(0);
      expect(mock.calls.map((x) => `${x.service} ${x.operation}`)).toEqual(['ecs RegisterTaskDefinition']);
      expect(mock.calls[0]!.input.family).toBe(JSON.parse(text).family);
    },
    30_000,
  );
  it('rejects a malformed task definition before sending it', async () => {
    const [, text] = defs[0]!;
    const bad = JSON.parse(fillPlaceholders(text)) as { containerDefinitions: Array<Record<string, unknown>> };
    bad.containerDefinitions[0]!.stopTimeOut = 30; // typo of stopTimeout
    const file = join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await runBash(`aws ecs register-task-definition --cli-input-json "file://${file}"`);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Unknown parameter in containerDefinitions[0]: "stopTimeOut"');
    expect(mock.calls).toEqual([]);
  }, 30_000);
});
