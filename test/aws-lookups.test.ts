/**
 * The optional AWS look-ups (src/detect/aws.ts) through the REAL aws CLI against a loopback mock of
 * EC2 (its XML protocol) and ACM: VPCs, subnets told public/private by their route tables, ISSUED
 * certificates; read-only calls only; a hanging endpoint ends at the time limit; the prompt offers the
 * results as choices and falls back to text input when there are none.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsMock, ok } from './support/aws-mock.js';
import { hasAwsCredentials, lookUpAwsAccount } from '../src/detect/aws.js';
import { cli, mockAsk, tempDir } from './support/cli.js';
import { TYPE_IT } from '../src/cli/prompt.js';
import { onTty } from './support/tty.js';

const VPC = 'vpc-0aaaaaaaaaaaaaaa1';
const OTHER_VPC = 'vpc-0bbbbbbbbbbbbbbb2';
const sub = (n: number): string => `subnet-0${String(n).repeat(16)}`;
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666';

/** An account as EC2 and ACM describe it (EC2 in botocore's wire names). */
function account(mock: AwsMock): void {
  mock.on(
    'ec2',
    'DescribeVpcs',
    ok({
      vpcSet: [
        { vpcId: VPC, cidrBlock: '10.0.0.0/16', isDefault: false, tagSet: [{ key: 'Name', value: 'main' }] },
        { vpcId: OTHER_VPC, cidrBlock: '172.31.0.0/16', isDefault: true },
      ],
    }),
  );
  mock.on(
    'ec2',
    'DescribeSubnets',
    ok({
      subnetSet: [
        {
          subnetId: sub(1),
          vpcId: VPC,
          availabilityZone: 'eu-west-1a',
          cidrBlock: '10.0.1.0/24',
          tagSet: [{ key: 'Name', value: 'public-a' }],
        },
        { subnetId: sub(2), vpcId: VPC, availabilityZone: 'eu-west-1b', cidrBlock: '10.0.2.0/24' },
        { subnetId: sub(3), vpcId: VPC, availabilityZone: 'eu-west-1a', cidrBlock: '10.0.3.0/24' },
        { subnetId: sub(4), vpcId: VPC, availabilityZone: 'eu-west-1b', cidrBlock: '10.0.4.0/24' },
        { subnetId: sub(5), vpcId: VPC, availabilityZone: 'eu-west-1c', cidrBlock: '10.0.5.0/24' },
        { subnetId: sub(6), vpcId: OTHER_VPC, availabilityZone: 'eu-west-1a', cidrBlock: '172.31.0.0/20' },
      ],
    }),
  );
  mock.on(
    'ec2',
    'DescribeRouteTables',
    ok({
      routeTableSet: [
        // Explicitly associated with 1 and 2: a route to an internet gateway makes them public.
        {
          routeTableId: 'rtb-01',
          vpcId: VPC,
          associationSet: [
            { subnetId: sub(1), main: false },
            { subnetId: sub(2), main: false },
          ],
          routeSet: [
            { destinationCidrBlock: '10.0.0.0/16', gatewayId: 'local', state: 'active' },
            { destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0123', state: 'active' },
          ],
        },
        // Associated with 3 and 4: out through a NAT gateway, private.
        {
          routeTableId: 'rtb-02',
          vpcId: VPC,
          associationSet: [
            { subnetId: sub(3), main: false },
            { subnetId: sub(4), main: false },
          ],
          routeSet: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0123', state: 'active' }],
        },
        // The main table (5 has no association): its route to the gateway is a blackhole, so 5 is private.
        {
          routeTableId: 'rtb-03',
          vpcId: VPC,
          associationSet: [{ main: true }],
          routeSet: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0dead', state: 'blackhole' }],
        },
        {
          routeTableId: 'rtb-04',
          vpcId: OTHER_VPC,
          associationSet: [{ main: true }],
          routeSet: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0456', state: 'active' }],
        },
      ],
    }),
  );
  mock.on(
    'acm',
    'ListCertificates',
    ok({
      CertificateSummaryList: [
        { CertificateArn: CERT, DomainName: 'api.example.com', Status: 'ISSUED', NotAfter: 1830297600, InUse: false },
      ],
    }),
  );
}

let mock: AwsMock;
let hang: { server: Server; endpoint: string; sockets: Socket[] };

beforeAll(async () => {
  mock = await AwsMock.start();
  // Accepts connections and never answers.
  const sockets: Socket[] = [];
  const server = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hang = { server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, sockets };
});
afterAll(async () => {
  await mock.close();
  for (const s of hang.sockets) s.destroy();
  await new Promise<void>((resolve) => hang.server.close(() => resolve()));
});

describe('look-ups through the aws CLI', () => {
  it('lists VPCs, tells subnets apart by route table, lists ISSUED certificates; read-only calls only', async () => {
    mock.reset();
    account(mock);
    const found = await lookUpAwsAccount('eu-west-1', { ...process.env, ...mock.cliEnv() }, 30_000);
    expect(found.vpcs).toEqual({
      ok: true,
      items: [
        { id: VPC, cidr: '10.0.0.0/16', name: 'main', isDefault: false },
        { id: OTHER_VPC, cidr: '172.31.0.0/16', name: undefined, isDefault: true },
      ],
    });
    expect(found.subnets.ok).toBe(true);
    const kinds = found.subnets.ok ? Object.fromEntries(found.subnets.items.map((s) => [s.id, s.public])) : {};
    expect(kinds).toEqual({
      [sub(1)]: true,
      [sub(2)]: true,
      [sub(3)]: false,
      [sub(4)]: false,
      [sub(5)]: false,
      [sub(6)]: true,
    });
    expect(found.certificates).toEqual({
      ok: true,
      items: [{ arn: CERT, domain: 'api.example.com', notAfter: '2028-01-01', inUse: false }],
    });
    expect(mock.callsTo('acm', 'ListCertificates')[0]!.input).toMatchObject({ CertificateStatuses: ['ISSUED'] });
    expect(mock.calls.map((c) => c.operation).sort()).toEqual([
      'DescribeRouteTables',
      'DescribeSubnets',
      'DescribeVpcs',
      'ListCertificates',
    ]);
    expect(mock.calls.every((c) => /^(Describe|List)/.test(c.operation))).toBe(true);
  });

  it('an error is a reason, not a crash', async () => {
    mock.reset(); // no handlers: every call gets an AWS error
    const found = await lookUpAwsAccount('eu-west-1', { ...process.env, ...mock.cliEnv() }, 30_000);
    expect(found.vpcs.ok).toBe(false);
    expect(found.vpcs.ok ? '' : found.vpcs.reason).toMatch(/MockUnhandledOperation/);
  });

  it('a hanging endpoint ends at the time limit', async () => {
    const started = Date.now();
    const found = await lookUpAwsAccount(
      'eu-west-1',
      { ...process.env, ...mock.cliEnv(), AWS_ENDPOINT_URL: hang.endpoint },
      2_000,
    );
    const took = Date.now() - started;
    expect(found.vpcs).toEqual({ ok: false, reason: 'no answer within 2 s' });
    expect(found.certificates.ok).toBe(false);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(6_000);
  });

  it('credentials are looked for without a network call', () => {
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toBe(true);
    expect(hasAwsCredentials({ AWS_PROFILE: 'dev', HOME: tempDir() })).toBe(true);
    expect(hasAwsCredentials({ HOME: tempDir() })).toBe(false);
  });
});

// The choices are the subject of these runs, not the time limit (the hanging endpoint checks that): the
// real aws CLI needs seconds to start on a loaded machine, so they allow it more than the product's 10 s.
const SLOW_START_MS = 60_000;

describe('at the prompt', () => {
  const env = (endpoint?: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: tempDir(),
    ...mock.cliEnv(),
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
  });
  const picked = {
    vpcId: VPC,
    publicSubnetIds: [sub(1), sub(2)],
    privateSubnetIds: [sub(3), sub(4)],
    certificateArn: CERT,
    githubRepo: 'acme/api',
  };
  // The checkbox of the paired subnets question: each choice labelled by its route table.
  const choices = {
    vpcId: VPC,
    subnets: [`public:${sub(1)}`, `public:${sub(2)}`, `private:${sub(3)}`, `private:${sub(4)}`],
    certificateArn: CERT,
    githubRepo: 'acme/api',
  };

  it('offers the VPCs, the subnets of the chosen VPC (one checkbox, labelled public/private), and the certificates as choices', async () => {
    mock.reset();
    account(mock);
    const cwd = tempDir();
    const prompts = mockAsk(choices);
    const r = await cli(['--service-name', 'api'], cwd, {
      tty: true,
      ask: prompts.ask,
      env: env(),
      awsLookupTimeoutMs: SLOW_START_MS,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Looking up VPCs, subnets and certificates of eu-west-1 in your AWS account (read-only, at most 60 s)',
    );
    const q = Object.fromEntries(prompts.calls.map((c) => [c.name, c]));
    const values = (name: string): string[] => (q[name]!.choices ?? []).map((c) => c.value);
    expect(q.vpcId!.type).toBe('select');
    expect(values('vpcId')).toEqual([VPC, OTHER_VPC, TYPE_IT, '']);
    expect(q.subnets!.type).toBe('checkbox');
    expect(values('subnets')).toEqual([
      `public:${sub(1)}`,
      `public:${sub(2)}`,
      `private:${sub(3)}`,
      `private:${sub(4)}`,
      `private:${sub(5)}`,
      TYPE_IT,
    ]);
    expect(q.subnets!.choices!.map((c) => c.name.split(/\s+/)[0])).toEqual([
      'public',
      'public',
      'private',
      'private',
      'private',
      'Type',
    ]);
    expect(r.stdout).toContain(`  public (load balancer): ${sub(1)}, ${sub(2)}; private (tasks): ${sub(3)}, ${sub(4)}`);
    expect(q.certificateArn!.type).toBe('select');
    expect(values('certificateArn')).toEqual([CERT, TYPE_IT, '']);
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject(picked);
    // One look-up for the region, shared by the three questions.
    expect(mock.callsTo('ec2', 'DescribeVpcs')).toHaveLength(1);
  });

  it('with one subnet list given as a flag, the other is asked alone with its kind of subnets', async () => {
    mock.reset();
    account(mock);
    const cwd = tempDir();
    const prompts = mockAsk({ ...choices, privateSubnetIds: [sub(3), sub(5)] });
    const r = await cli(['--service-name', 'api', '--public-subnets', `${sub(1)},${sub(2)}`], cwd, {
      tty: true,
      ask: prompts.ask,
      env: env(),
      awsLookupTimeoutMs: SLOW_START_MS,
    });
    expect(r.code, r.stderr).toBe(0);
    const q = prompts.calls.find((c) => c.name === 'privateSubnetIds')!;
    expect((q.choices ?? []).map((c) => c.value)).toEqual([sub(3), sub(4), sub(5), TYPE_IT]);
    expect(prompts.calls.map((c) => c.name)).not.toContain('subnets');
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({ publicSubnetIds: [sub(1), sub(2)], privateSubnetIds: [sub(3), sub(5)] });
  });

  it('a VPC with fewer than 2 private subnets: the note says why, and the subnets question is text', async () => {
    mock.reset();
    account(mock);
    const cwd = tempDir();
    const prompts = mockAsk({
      ...choices,
      vpcId: OTHER_VPC,
      subnets: `public: ${sub(1)},${sub(2)} private: ${sub(3)},${sub(4)}`,
    });
    const r = await cli(['--service-name', 'api'], cwd, {
      tty: true,
      ask: prompts.ask,
      env: env(),
      awsLookupTimeoutMs: SLOW_START_MS,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `note: ${OTHER_VPC} has 1 public subnet(s) by its route tables; the stack needs 2 in different Availability Zones; type the value instead.`,
    );
    expect(prompts.calls.find((c) => c.name === 'subnets')!.type).toBe('input');
  });

  it('a hanging endpoint: the questions fall back to text input after the time limit, and the run completes', async () => {
    const cwd = tempDir();
    const prompts = mockAsk({ ...choices, subnets: `public: ${sub(1)},${sub(2)}  private: ${sub(3)},${sub(4)}` });
    const started = Date.now();
    const r = await cli(['--service-name', 'api'], cwd, { tty: true, ask: prompts.ask, env: env(hang.endpoint) });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    // Whichever ends it first: the aws CLI's read timeout (5 s) or the look-up's own limit (10 s).
    expect(r.stdout).toMatch(
      /note: the VPCs of eu-west-1 could not be looked up \((no answer within 10 s|Read timeout on endpoint URL: "[^"]+")\); type the value instead\./,
    );
    for (const name of ['vpcId', 'subnets', 'certificateArn'])
      expect(prompts.calls.find((c) => c.name === name)!.type).toBe('input');
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject(picked);
  });

  it('without credentials the aws CLI is never started', async () => {
    mock.reset();
    const prompts = mockAsk(choices);
    const r = await cli(['--service-name', 'api'], tempDir(), {
      tty: true,
      ask: prompts.ask,
      env: { PATH: process.env.PATH, HOME: tempDir(), AWS_ENDPOINT_URL: mock.endpoint },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(mock.calls).toEqual([]);
    expect(prompts.calls.find((c) => c.name === 'vpcId')!.type).toBe('input');
  });
});

describe('on a terminal', () => {
  it('the looked-up VPC, subnets (pre-selected) and certificate are taken with Enter', async () => {
    mock.reset();
    account(mock);
    const cwd = tempDir();
    const steps = [
      ['Service name', '\r'],
      ['AWS region', '\r'],
      ['VPC id', '\r'],
      ['Subnets:', '\r'],
      ['ACM certificate ARN', '\r'],
      ['GitHub repository', 'acme/api\r'],
      ['Canary engine', '\r'],
      ['Canary:', '\r'],
      ['Customize advanced settings?', '\r'],
      ['Write these files?', '\r'],
    ].map(([wait, send]) => ({ wait: wait!, send: send! }));
    const { code, screen } = await onTty(['--skip-install'], cwd, steps, { HOME: tempDir(), ...mock.cliEnv() });
    expect(code, screen).toBe(0);
    expect(screen).toContain(`${VPC}  main  10.0.0.0/16`);
    expect(screen).toContain('public (route to igw-0123)');
    const saved = JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers;
    expect(saved).toMatchObject({
      vpcId: VPC,
      publicSubnetIds: [sub(1), sub(2)],
      privateSubnetIds: [sub(3), sub(4), sub(5)],
      certificateArn: CERT,
    });
  }, 120_000);
});
