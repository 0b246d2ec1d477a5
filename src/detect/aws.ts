/**
 * Optional look-ups in the user's AWS account, as Copilot's `env init` does: the VPCs of the region,
 * their subnets told apart into public and private by their route tables, and the ISSUED ACM
 * certificates, offered as choices at the prompt. Read-only calls through the `aws` CLI with the user's
 * own credentials; never required and never blocking: no CLI, no credentials, an error or the time
 * limit only means the prompt asks for the ids as text.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A VPC of the region. */
export interface AwsVpc {
  readonly id: string;
  readonly cidr?: string;
  readonly name?: string;
  readonly isDefault: boolean;
}

/** A subnet and what its route table says about it. */
export interface AwsSubnet {
  readonly id: string;
  readonly vpcId: string;
  readonly az?: string;
  readonly cidr?: string;
  readonly name?: string;
  /** Its route table (explicitly associated, else the VPC's main one) has an active route to an internet gateway. */
  readonly public: boolean;
  /** The internet gateway of that route, for the description. */
  readonly internetGateway?: string;
}

/** An ISSUED certificate of ACM in the region. */
export interface AwsCertificate {
  readonly arn: string;
  readonly domain: string;
  readonly notAfter?: string;
  readonly inUse?: boolean;
}

/** One look-up: its items, or why there are none to offer. */
export type Found<T> =
  | { readonly ok: true; readonly items: readonly T[] }
  | { readonly ok: false; readonly reason: string };

/** What the account offers in one region. */
export interface AwsAccountFacts {
  readonly region: string;
  readonly vpcs: Found<AwsVpc>;
  readonly subnets: Found<AwsSubnet>;
  readonly certificates: Found<AwsCertificate>;
}

/** How long all look-ups of a region may take together before the prompt stops waiting. */
export const AWS_LOOKUP_TIMEOUT_MS = 10_000;

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const nameTag = (o: Json): string | undefined => text(list(o.Tags).find((t) => t.Key === 'Name')?.Value);

/**
 * Whether the aws CLI can find credentials without a network call: keys, a profile or web identity in
 * the environment, container credentials, or a config/credentials file. Without any, nothing is spawned
 * (instance-profile credentials are not guessed: an EC2 metadata probe would stall the prompt).
 */
export function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  const set = (k: string): boolean => typeof env[k] === 'string' && env[k] !== '';
  if (set('AWS_ACCESS_KEY_ID') && set('AWS_SECRET_ACCESS_KEY')) return true;
  if (
    [
      'AWS_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ].some(set)
  )
    return true;
  const home = env.HOME ?? homedir();
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
  ];
  return files.some((f) => f !== '/dev/null' && existsSync(f));
}

/** Run one `aws` command; its parsed JSON output, or why not. */
function awsJson(args: readonly string[], env: NodeJS.ProcessEnv, deadline: number): Promise<Found<Json>> {
  return new Promise((resolve) => {
    const left = Math.max(1, deadline - Date.now());
    // Loaded here, not imported: most runs never look anything up, and child_process costs ~4 ms to load.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn('aws', [...args, '--output', 'json', '--cli-connect-timeout', '3', '--cli-read-timeout', '5'], {
      env: { ...env, AWS_PAGER: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, reason: `no answer within ${Math.round(left / 1000)} s` });
    }, left);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason: e.code === 'ENOENT' ? 'the aws CLI is not installed' : `the aws CLI could not start: ${e.message}`,
      });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0)
        return resolve({
          ok: false,
          reason: err.trim().split('\n').filter(Boolean).at(-1) ?? `aws exited with code ${code}`,
        });
      try {
        resolve({ ok: true, items: [JSON.parse(out) as Json] });
      } catch {
        resolve({ ok: false, reason: 'the aws CLI printed no JSON' });
      }
    });
  });
}

function vpcsFrom(o: Json): AwsVpc[] {
  return list(o.Vpcs).flatMap((v) => {
    const id = text(v.VpcId);
    return id ? [{ id, cidr: text(v.CidrBlock), name: nameTag(v), isDefault: v.IsDefault === true }] : [];
  });
}

/** The internet gateway a route table sends traffic to, if any (blackhole routes do not count). */
function internetGatewayOf(table: Json): string | undefined {
  return list(table.Routes)
    .map((r) => (r.State === 'blackhole' ? undefined : text(r.GatewayId)))
    .find((g) => g?.startsWith('igw-'));
}

/**
 * Public or private by route table, as AWS defines a public subnet: the table associated with the
 * subnet, or the VPC's main table when none is, has a route to an internet gateway.
 */
export function classifySubnets(subnets: Json, routeTables: Json): AwsSubnet[] {
  const tables = list(routeTables.RouteTables);
  const explicit = new Map<string, Json>();
  const main = new Map<string, Json>();
  for (const t of tables) {
    for (const a of list(t.Associations)) {
      const subnet = text(a.SubnetId);
      if (subnet) explicit.set(subnet, t);
      if (a.Main === true && text(t.VpcId)) main.set(t.VpcId as string, t);
    }
  }
  return list(subnets.Subnets).flatMap((s) => {
    const id = text(s.SubnetId);
    const vpcId = text(s.VpcId);
    if (!id || !vpcId) return [];
    const table = explicit.get(id) ?? main.get(vpcId);
    const igw = table ? internetGatewayOf(table) : undefined;
    return [
      {
        id,
        vpcId,
        az: text(s.AvailabilityZone),
        cidr: text(s.CidrBlock),
        name: nameTag(s),
        public: igw !== undefined,
        internetGateway: igw,
      },
    ];
  });
}

function certificatesFrom(o: Json): AwsCertificate[] {
  return list(o.CertificateSummaryList).flatMap((c) => {
    const arn = text(c.CertificateArn);
    if (!arn || (c.Status !== undefined && c.Status !== 'ISSUED')) return [];
    const notAfter =
      typeof c.NotAfter === 'number'
        ? new Date(c.NotAfter * 1000).toISOString().slice(0, 10)
        : text(c.NotAfter)?.slice(0, 10);
    return [
      { arn, domain: text(c.DomainName) ?? arn, notAfter, inUse: typeof c.InUse === 'boolean' ? c.InUse : undefined },
    ];
  });
}

function mapped<T>(found: Found<Json>, map: (o: Json) => T[]): Found<T> {
  return found.ok ? { ok: true, items: map(found.items[0]!) } : found;
}

/** Look everything up in `region`, in parallel, within `timeoutMs`. Never rejects. */
export async function lookUpAwsAccount(
  region: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = AWS_LOOKUP_TIMEOUT_MS,
): Promise<AwsAccountFacts> {
  const deadline = Date.now() + timeoutMs;
  const r = ['--region', region];
  const [vpcs, subnets, tables, certs] = await Promise.all([
    awsJson(['ec2', 'describe-vpcs', ...r], env, deadline),
    awsJson(['ec2', 'describe-subnets', ...r], env, deadline),
    awsJson(['ec2', 'describe-route-tables', ...r], env, deadline),
    awsJson(['acm', 'list-certificates', '--certificate-statuses', 'ISSUED', ...r], env, deadline),
  ]);
  const classified: Found<AwsSubnet> = !subnets.ok
    ? subnets
    : !tables.ok
      ? tables
      : { ok: true, items: classifySubnets(subnets.items[0]!, tables.items[0]!) };
  return { region, vpcs: mapped(vpcs, vpcsFrom), subnets: classified, certificates: mapped(certs, certificatesFrom) };
}

/** Look-ups started once per region and shared by the questions that use them. */
export class AwsLookups {
  private readonly started = new Map<string, Promise<AwsAccountFacts>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs = AWS_LOOKUP_TIMEOUT_MS,
  ) {}

  /** Start the look-ups of `region` (if not started yet) and return them. */
  region(region: string): Promise<AwsAccountFacts> {
    let found = this.started.get(region);
    if (!found) {
      found = lookUpAwsAccount(region, this.env, this.timeoutMs);
      this.started.set(region, found);
    }
    return found;
  }
}
