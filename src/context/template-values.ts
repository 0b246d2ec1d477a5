/**
 * Values the templates used to compute in JS preambles: derived once here from the rest of the
 * context, so templates only read and loop. `fmt` holds the few formatting helpers the templates
 * share (one declaration instead of a copy per template).
 */
import type { ActionKey } from '../versions.js';
import type { FirstDeploymentStep } from './first-deployment.js';
import { newAppPackageJson, type PackageJsonInputs } from './package-json.js';

/** Formatting shared by the templates. */
export const fmt = {
  /** A JSON (or HCL) string or number literal. */
  json: (v: unknown): string => JSON.stringify(v),
  /** A one-line JSON/HCL list (also a Dockerfile exec form): `["a", "b"]`. */
  list: (vs: readonly unknown[]): string => `[${vs.map((v) => JSON.stringify(v)).join(', ')}]`,
  /** US dollars with cents: `$12.30`. */
  usd: (n: number): string => `$${n.toFixed(2)}`,
  /** `a` when both ends are equal, else `a–b`. */
  span: (a: number, b: number): string => (a === b ? `${a}` : `${a}–${b}`),
} as const;

/** What templateValues() reads (a slice of the render context). */
export interface TemplateInputs extends PackageJsonInputs {
  readonly actions: Readonly<Record<ActionKey, { readonly uses: string; readonly version: string }>>;
  readonly containerName: string;
  readonly environments: readonly { readonly name: string }[];
  readonly isEcs: boolean;
  readonly firstDeployment: readonly FirstDeploymentStep[];
  readonly awsRegions: readonly string[];
  readonly fargateSizes: readonly { readonly cpu: number; readonly memory: readonly number[] }[];
}

export interface TemplateValues {
  readonly fmt: typeof fmt;
  /** `uses:` value of each pinned action: `owner/repo@sha # vX.Y.Z`. */
  readonly pins: Readonly<Record<ActionKey, string>>;
  /** The migration's container overrides (JSON, single quotes doubled for YAML); null without a migration. */
  readonly migrateOverrides: string | null;
  /** Job ids of the deploy jobs, in order. */
  readonly deployJobs: readonly string[];
  readonly environmentNames: readonly string[];
  /** Workflow condition: some deploy job's rollback failed. */
  readonly rollbackFailedCondition: string;
  /** Workflow condition: the Slack webhook secret is set. */
  readonly slackGuard: string;
  /** `ECS built-in canary` or `CodeDeploy blue/green canary`. */
  readonly engineName: string;
  /** 1-based number of each first-deployment step, by id. */
  readonly stepNo: Readonly<Partial<Record<FirstDeploymentStep['id'], number>>>;
  /** variables.tf: the region list, six quoted codes a line. */
  readonly awsRegionLines: readonly string[];
  /** variables.tf: `"cpu"` keys padded to one width, with their memory sizes. */
  readonly fargateMemoryRows: readonly { readonly key: string; readonly memory: string }[];
  /** Marker of the settings the user must fill in terraform.tfvars. */
  readonly todoMarker: string;
  /** package.json of a new service; null when adopting. */
  readonly packageJson: Record<string, unknown> | null;
}

const chunks = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export function templateValues(c: TemplateInputs): TemplateValues {
  const pins = Object.fromEntries(Object.entries(c.actions).map(([k, a]) => [k, `${a.uses} # ${a.version}`])) as Record<
    ActionKey,
    string
  >;
  const keyWidth = Math.max(...c.fargateSizes.map((s) => String(s.cpu).length));
  return {
    fmt,
    pins,
    migrateOverrides:
      c.app.migrateCommand === null
        ? null
        : JSON.stringify([{ name: c.containerName, command: c.app.migrateCommand }]).replace(/'/g, "''"),
    deployJobs: c.environments.map((e) => `deploy-${e.name}`),
    environmentNames: c.environments.map((e) => e.name),
    rollbackFailedCondition: c.environments
      .map((e) => `needs.deploy-${e.name}.outputs.outcome == 'rollback-failed'`)
      .join(' || '),
    slackGuard: "env.SLACK_CONFIGURED == 'true'",
    engineName: c.isEcs ? 'ECS built-in canary' : 'CodeDeploy blue/green canary',
    stepNo: Object.fromEntries(c.firstDeployment.map((s, i) => [s.id, i + 1])),
    awsRegionLines: chunks(c.awsRegions, 6).map((rs) => rs.map((r) => JSON.stringify(r)).join(', ')),
    fargateMemoryRows: c.fargateSizes.map((s) => ({
      key: `"${s.cpu}"`.padEnd(keyWidth + 2),
      memory: s.memory.join(', '),
    })),
    todoMarker: 'TODO(create-canary-pipeline):',
    packageJson: newAppPackageJson(c),
  };
}
