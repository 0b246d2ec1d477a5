/**
 * The one module that knows versions. They live in real manifests under resources/ that
 * Dependabot/Renovate understand; nothing else hard-codes an action SHA, provider constraint,
 * base image or npm dependency range.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCES_DIR } from './paths.js';

const read = (rel: string): string => readFileSync(join(RESOURCES_DIR, rel), 'utf8');

/** A pinned action: `uses` is `owner/repo@<40-hex sha>`, `version` the tag it points at. */
export interface PinnedAction {
  readonly uses: string;
  readonly version: string;
}

/** Actions by short key, e.g. `checkout`, `configureAwsCredentials`. */
export type ActionKey =
  | 'checkout'
  | 'setupNode'
  | 'configureAwsCredentials'
  | 'ecrLogin'
  | 'renderTaskDefinition'
  | 'deployTaskDefinition'
  | 'slack'
  | 'setupTerraform'
  | 'setupBun';

const ACTION_REPOS: Readonly<Record<ActionKey, string>> = {
  checkout: 'actions/checkout',
  setupNode: 'actions/setup-node',
  configureAwsCredentials: 'aws-actions/configure-aws-credentials',
  ecrLogin: 'aws-actions/amazon-ecr-login',
  renderTaskDefinition: 'aws-actions/amazon-ecs-render-task-definition',
  deployTaskDefinition: 'aws-actions/amazon-ecs-deploy-task-definition',
  slack: 'slackapi/slack-github-action',
  setupTerraform: 'hashicorp/setup-terraform',
  setupBun: 'oven-sh/setup-bun',
};

/** All versions the templates need. */
export interface Versions {
  readonly actions: Readonly<Record<ActionKey, PinnedAction>>;
  readonly terraformRequiredVersion: string;
  readonly awsProviderConstraint: string;
  /** hashicorp/archive constraint (zips the smoke-test Lambda). */
  readonly archiveProviderConstraint: string;
  /** Base image tag with the Node major replaced by `{major}`. */
  readonly nodeImageTemplate: string;
  readonly appDependencies: Readonly<Record<string, string>>;
  readonly appDevDependencies: Readonly<Record<string, string>>;
  /** Exact corepack version the Dockerfile installs for pnpm/yarn (Node 25+ no longer bundles it). */
  readonly corepackVersion: string;
  /** Exact bun version for a bun service whose package.json "packageManager" names none. */
  readonly bunVersion: string;
  /** Images of the local services in the generated compose.yaml, by service (`postgres`, `redis`). */
  readonly localServiceImages: Readonly<Record<'postgres' | 'redis', string>>;
}

function parseActions(text: string): Record<ActionKey, PinnedAction> {
  const found = new Map<string, PinnedAction>();
  for (const m of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})\s*#\s*(v[\w.-]+)/g)) {
    found.set(m[1]!, { uses: `${m[1]}@${m[2]}`, version: m[3]! });
  }
  const out = {} as Record<ActionKey, PinnedAction>;
  for (const [key, repo] of Object.entries(ACTION_REPOS) as Array<[ActionKey, string]>) {
    const pin = found.get(repo);
    if (!pin) throw new Error(`resources/github-actions/action.yml has no SHA-pinned entry for ${repo}`);
    out[key] = pin;
  }
  return out;
}

/**
 * `image:` of each local service in resources/app/compose.yaml. A regex, not a YAML parser: the file
 * is ours and flat, and loading a parser would cost the CLI's start-up time.
 */
function parseComposeImages(text: string): Record<'postgres' | 'redis', string> {
  const image = (service: string): string =>
    match(text, new RegExp(`^ {2}${service}:\\n {4}image: (\\S+)$`, 'm'), `the ${service} image in app/compose.yaml`);
  return { postgres: image('postgres'), redis: image('redis') };
}

function match(text: string, re: RegExp, what: string): string {
  const m = re.exec(text);
  if (!m?.[1]) throw new Error(`resources: cannot find ${what}`);
  return m[1];
}

let cached: Versions | undefined;

/** Load (once) every version from resources/. */
export function loadVersions(): Versions {
  if (cached) return cached;
  const tf = read('terraform/versions.tf');
  const pkg = JSON.parse(read('app/package.json')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const image = match(read('app/Dockerfile'), /^FROM\s+(\S+)/m, 'FROM in app/Dockerfile');
  cached = {
    actions: parseActions(read('github-actions/action.yml')),
    terraformRequiredVersion: match(tf, /required_version\s*=\s*"([^"]+)"/, 'required_version'),
    awsProviderConstraint: match(tf, /\baws\s*=\s*\{[^}]*?\bversion\s*=\s*"([^"]+)"/, 'aws provider version'),
    archiveProviderConstraint: match(
      tf,
      /\barchive\s*=\s*\{[^}]*?\bversion\s*=\s*"([^"]+)"/,
      'archive provider version',
    ),
    nodeImageTemplate: image.replace(/^node:\d+/, 'node:{major}'),
    appDependencies: pkg.dependencies,
    appDevDependencies: pkg.devDependencies,
    corepackVersion: match(
      pkg.devDependencies.corepack ?? '',
      /^(\d+\.\d+\.\d+)$/,
      'an exact corepack version in app/package.json',
    ),
    bunVersion: match(pkg.devDependencies.bun ?? '', /^(\d+\.\d+\.\d+)$/, 'an exact bun version in app/package.json'),
    localServiceImages: parseComposeImages(read('app/compose.yaml')),
  };
  return cached;
}
