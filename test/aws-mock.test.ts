/** The loopback AWS mock against the real aws CLI: each protocol the CLI speaks here, scripts, errors, recording. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsMock, awsError, decodeQueryForm, ok, serverError, toQueryXml } from './support/aws-mock.js';

let mock: AwsMock;
beforeAll(async () => {
  mock = await AwsMock.start();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function aws(
  args: string[],
  env: Record<string, string> = mock.cliEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('aws', args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('aws-mock with the real aws CLI', () => {
  it('answers JSON 1.1 (ECS) with a scripted sequence whose last reply repeats', async () => {
    mock.script('ecs', 'DescribeServices', [
      ok({ services: [{ serviceName: 'a' }] }),
      ok({ services: [{ serviceName: 'b' }] }),
    ]);
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await aws([
        'ecs',
        'describe-services',
        '--cluster',
        'c',
        '--services',
        's',
        '--query',
        'services[0].serviceName',
        '--output',
        'text',
      ]);
      expect(r.code, r.stderr).toBe(0);
      names.push(r.stdout.trim());
    }
    expect(names).toEqual(['a', 'b', 'b']);
    expect(mock.callsTo('ecs', 'DescribeServices')).toHaveLength(3);
    expect(mock.calls[0]).toEqual({
      service: 'ecs',
      operation: 'DescribeServices',
      protocol: 'json',
      input: { cluster: 'c', services: ['s'] },
    });
  });

  it('answers ECR (signing name ecr) and JSON 1.0 CloudWatch (botocore resolves json for it)', async () => {
    mock.on('ecr', 'DescribeImages', (call) =>
      ok({
        imageDetails: [
          {
            imageDigest: 'sha256:' + 'a'.repeat(64),
            imageTags: [(call.input.imageIds as Array<{ imageTag: string }>)[0]!.imageTag],
          },
        ],
      }),
    );
    mock.on('monitoring', 'DescribeAlarms', ok({ MetricAlarms: [{ AlarmName: 'x', StateValue: 'OK' }] }));
    const r = await aws([
      'ecr',
      'describe-images',
      '--repository-name',
      'api',
      '--image-ids',
      'imageTag=abc',
      '--query',
      'imageDetails[0].imageTags[0]',
      '--output',
      'text',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('abc');
    const c = await aws([
      'cloudwatch',
      'describe-alarms',
      '--alarm-names',
      'x',
      '--query',
      'MetricAlarms[0].StateValue',
      '--output',
      'text',
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('OK');
    expect(mock.calls.map((x) => `${x.service}/${x.operation}/${x.protocol}`)).toEqual([
      'ecr/DescribeImages/json',
      'monitoring/DescribeAlarms/json',
    ]);
  });

  it('answers the query protocol (STS) in XML and decodes its form', async () => {
    mock.on(
      'sts',
      'GetCallerIdentity',
      ok({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/x', UserId: 'AID' }),
    );
    const r = await aws(['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('123456789012');
    expect(mock.calls[0]!.protocol).toBe('query');
  });

  it('sends errors and 500s the CLI reports as failures, and records unhandled calls', async () => {
    mock.on('ecr', 'DescribeImages', awsError('ImageNotFoundException', 'no image'));
    const r = await aws(['ecr', 'describe-images', '--repository-name', 'api', '--image-ids', 'imageTag=abc']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ImageNotFoundException');
    mock.on('ecs', 'ListServices', serverError());
    const s = await aws(['ecs', 'list-services', '--cluster', 'c']);
    expect(s.code).not.toBe(0);
    expect(s.stderr).toMatch(/InternalFailure|500/);
    const u = await aws(['ecs', 'list-clusters']);
    expect(u.code).not.toBe(0);
    expect(u.stderr).toContain('MockUnhandledOperation');
    expect(mock.calls.map((c) => c.operation)).toEqual(['DescribeImages', 'ListServices', 'ListClusters']);
  });

  it('is reached through a service-specific endpoint variable and --endpoint-url too', async () => {
    mock.on('ecs', 'ListClusters', ok({ clusterArns: ['arn:aws:ecs:eu-west-1:123456789012:cluster/x'] }));
    const { AWS_ENDPOINT_URL: _unused, ...rest } = mock.cliEnv();
    const r = await aws(['ecs', 'list-clusters', '--output', 'text'], { ...rest, AWS_ENDPOINT_URL_ECS: mock.endpoint });
    expect(r.code, r.stderr).toBe(0);
    const e = await aws(['ecs', 'list-clusters', '--output', 'text', '--endpoint-url', mock.endpoint], rest);
    expect(e.code, e.stderr).toBe(0);
    expect(mock.callsTo('ecs')).toHaveLength(2);
  });
});

describe('aws-mock codecs', () => {
  it('decodes query lists and structures', () => {
    expect(
      decodeQueryForm(
        'Action=X&Version=1&AlarmNames.member.1=a&AlarmNames.member.2=b&Dimensions.member.1.Name=n&Top=t',
      ),
    ).toEqual({
      AlarmNames: ['a', 'b'],
      Dimensions: [{ Name: 'n' }],
      Top: 't',
    });
  });
  it('encodes lists as members and escapes text', () => {
    expect(toQueryXml({ A: ['x<', 'y'], B: { C: 1 } })).toBe(
      '<A><member>x&lt;</member><member>y</member></A><B><C>1</C></B>',
    );
  });
});
