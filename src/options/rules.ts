/**
 * The rules behind the option table's validators: patterns, ranges and the subnet-list check. Kept
 * apart so the table itself reads as one declaration per option.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCES_DIR } from '../paths.js';

/** The one list of AWS commercial regions (also rendered into variables.tf). */
export const AWS_REGIONS: readonly string[] = (
  JSON.parse(readFileSync(join(RESOURCES_DIR, 'aws-regions.json'), 'utf8')) as { regions: string[] }
).regions;

/** Node LTS lines that are not end-of-life (nodejs/Release schedule, checked 2026-11). */
export const NODE_LTS_LINES = ['22', '24', '26'] as const;

/** The image's Node line when --node-version is not given: the project's own major when it is a maintained LTS line, else 24. */
export function defaultNodeLine(projectMajor: string | undefined): string {
  return projectMajor && (NODE_LTS_LINES as readonly string[]).includes(projectMajor) ? projectMajor : '24';
}

export const SERVICE_NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const CERT_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
export const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
export const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const SLACK_TEAM = /^T[A-Z0-9]{8,12}$/;
export const SLACK_CHANNEL = /^[CG][A-Z0-9]{8,12}$/;

/** Turn any package or folder name into a valid service name, or undefined when impossible. */
export function normaliseServiceName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const base = raw
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  const trimmed = base
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 32)
    .replace(/[^a-z0-9]+$/, '');
  return SERVICE_NAME.test(trimmed) ? trimmed : undefined;
}

/** A subnet list on its own; a subnet in both lists is a rule of both options (combination.ts). */
export function subnetList(value: string[]): string | undefined {
  const badIds = value.filter((s) => !SUBNET_ID.test(s));
  if (badIds.length) return `not a subnet id: ${badIds.join(', ')} (expected subnet-<8 or 17 hex digits>)`;
  if (value.length < 2) return `needs at least 2 subnets in different Availability Zones, got ${value.length}`;
  const dupes = value.filter((s, i) => value.indexOf(s) !== i);
  return dupes.length ? `duplicate subnet id: ${[...new Set(dupes)].join(', ')}` : undefined;
}

// ECS allows 1440-minute bakes and CodeDeploy 2880-minute canaries, but the deploy job waits for both windows.
export const WAIT_REASON = 'the deploy job waits for both, and GitHub Actions ends a job after 360 min';

export function intRange(value: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(value)) return `must be a whole number between ${min} and ${max}, got ${value}`;
  return value < min || value > max ? `must be between ${min} and ${max}, got ${value}` : undefined;
}
