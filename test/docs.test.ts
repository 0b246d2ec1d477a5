/**
 * docs/DEPLOYMENT.md: its numbers are the timeline model's and the cost model's for the chosen options
 * (computed here from the options, never copied), its file list is the plan, and its setup commands set
 * exactly the GitHub variables the workflow reads, from Terraform outputs that exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveOptions, type RawValues } from '../src/options/resolve.js';
import { buildContext, type RenderContext } from '../src/context/build-context.js';
import { newRepoFacts } from '../src/detect/facts.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { computeTimeline, deploymentTraffic, TIMING_ASSUMPTIONS } from '../src/model/timeline.js';
import { rollbackProbability } from '../src/model/detection-model.js';
import { REPORTED_RATES_PCT } from '../src/context/detection-report.js';
import { estimateMonthlyCost, UNIT_PRICES } from '../src/context/cost.js';
import { planFiles } from '../src/plan/plan-files.js';
import { DOCS_PATH, withFileTable } from '../src/plan/file-table.js';
import { crashDrill } from '../src/context/crash-model.js';
import { DRILL_ASSUMPTIONS } from '../src/context/drill.js';
import { renderFile } from '../src/plan/render.js';
import { isRendered, type FileSpec } from '../src/plan/file-spec.js';

interface Rendered {
  ctx: RenderContext;
  plan: FileSpec[];
  read: (path: string) => string;
}

const SETS: Record<string, { flags: RawValues; example?: boolean }> = {
  defaults: { flags: {} },
  guideCodedeploy: {
    flags: {
      deploymentEngine: 'codedeploy',
      canaryPercent: '10',
      canaryMinutes: '5',
      rollbackWindowMinutes: '5',
      expectedRpm: '2000',
    },
  },
  customEcs: {
    flags: {
      canaryPercent: '25',
      canaryMinutes: '12',
      rollbackWindowMinutes: '15',
      cpu: '1024',
      memory: '3072',
      desiredCount: '4',
    },
  },
  customCodedeploy: { flags: { deploymentEngine: 'codedeploy', canaryPercent: '25', canaryMinutes: '12' } },
  canaryStaging: { flags: { stagingStrategy: 'canary', canaryPercent: '20', canaryMinutes: '8' } },
  lowCanary: { flags: { canaryPercent: '2.5', canaryMinutes: '6', rollbackWindowMinutes: '5', expectedRpm: '20000' } },
  lean: {
    flags: {
      staging: false,
      database: 'none',
      cache: 'none',
      slackWebhookSecret: null,
      language: 'js',
      region: 'us-east-1',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
    },
  },
  placeholders: { flags: { serviceName: 'orders' }, example: false },
  alerts: { flags: { alertsSlackTeamId: 'T0123ABCD', alertsSlackChannelId: 'C0123ABCD' } },
};

const docs: Record<string, Rendered> = {};

/** Render through the pure pipeline; `example: false` leaves account values as placeholders (--yes). */
function render(flags: RawValues, example = true): Rendered {
  const facts = newRepoFacts('api');
  const merged = example ? { ...EXAMPLE_FLAGS, ...flags } : flags;
  const { options } = resolveOptions({ flags: merged, facts, mode: example ? 'strict' : 'yes' });
  const ctx = buildContext(options, facts);
  const plan = planFiles(ctx, facts);
  const read = (path: string): string => renderFile(plan.filter(isRendered).find((s) => s.path === path)!, ctx);
  return { ctx, plan, read };
}

beforeAll(() => {
  for (const [name, { flags, example }] of Object.entries(SETS)) docs[name] = render(flags, example ?? true);
});

const all = (): Array<[string, Rendered]> => Object.entries(docs);
const md = (r: Rendered): string => r.read('docs/DEPLOYMENT.md');
const span = (a: number, b: number): string => (a === b ? `${a}` : `${a}–${b}`);
const usd = (n: number): string => `$${n.toFixed(2)}`;
/** The rows of the table under "What was generated". */
const fileRows = (text: string): string[] =>
  text
    .split('## What was generated')[1]!
    .split('\n## ')[0]!
    .split('\n')
    .filter((l) => l.startsWith('| `'));
const tableRow = (text: string, label: string): string =>
  text.split('\n').find((l) => l.startsWith(`| ${label}`)) ?? '';

describe('the canary numbers are the timeline and detection models for the chosen options', () => {
  it('states detection, rollback, blast radius and power from computeTimeline()', () => {
    for (const [name, r] of all()) {
      const c = r.ctx;
      const t = computeTimeline(c.canaryPercent, c.canaryMinutes, c.rollbackWindowMinutes, c.expectedRpm);
      const text = md(r);
      expect(tableRow(text, 'Detection, fully broken'), name).toContain(
        `| ${span(t.detectMinMinutes, t.detectMaxMinutes)} min |`,
      );
      expect(tableRow(text, 'Rollback, fully broken'), name).toContain(
        `| ${span(t.rollbackMinMinutes, t.rollbackMaxMinutes)} min |`,
      );
      expect(tableRow(text, 'Blast radius'), name).toContain(
        `| ${span(t.blastRadiusMinMinutes, t.blastRadiusMaxMinutes)} full-traffic minutes |`,
      );
      expect(tableRow(text, 'P(rollback inside the canary) at 10 %'), name).toContain(`| ${c.detection.power} |`);
      expect(Number(c.detection.power.replace('> ', ''))).toBeGreaterThanOrEqual(0.99);
      expect(text, name).toContain(`${c.canaryPercent} % of traffic\nfor ${c.canaryMinutes} min (W)`);
      expect(text, name).toContain(
        `CloudWatch latency ${span(TIMING_ASSUMPTIONS.latencyMin, TIMING_ASSUMPTIONS.latencyMax)} min`,
      );
    }
  });

  it('renders the power table and chart from rollbackProbability() for every reported rate', () => {
    for (const [name, r] of all()) {
      const c = r.ctx;
      const traffic = deploymentTraffic(c.canaryPercent, c.canaryMinutes, c.rollbackWindowMinutes, c.expectedRpm);
      const text = md(r);
      const chart = text.slice(text.indexOf('xychart-beta'), text.indexOf('```', text.indexOf('xychart-beta')));
      const line = /line \[([^\]]+)\]/.exec(chart)![1]!.split(', ').map(Number);
      REPORTED_RATES_PCT.forEach((pct, i) => {
        const p = rollbackProbability(traffic, c.timeline.detection.design, pct / 100);
        expect(line[i], `${name} ${pct} %`).toBeCloseTo(p, 3);
        expect(tableRow(text, `${pct} %`), `${name} ${pct} %`).toMatch(/\| (> 0\.9999|< 0\.0001|\d\.\d{4}) \|$/);
      });
      // The old claim ("any rate above 5 % is caught") is gone: the table says how likely each rate is caught.
      expect(text, name).not.toMatch(/Any canary error rate above/);
    }
  });

  it('says whether a fully broken canary is caught during the canary, by comparing the rollback time with the window', () => {
    for (const [name, r] of all()) {
      const t = r.ctx.timeline;
      const row = tableRow(md(r), 'Caught during the canary?');
      expect(row, name).toContain(
        t.rollbackMaxMinutes <= r.ctx.canaryMinutes ? 'Yes, even in the worst case' : 'Only when detected early',
      );
    }
  });
});

describe('the cost is the cost model for the chosen options', () => {
  it('lists every line and the total of estimateMonthlyCost()', () => {
    for (const [name, r] of all()) {
      const c = r.ctx;
      const est = estimateMonthlyCost({
        cpu: c.cpu,
        memory: c.memory,
        environments: c.environments.map((e) => ({ name: e.name, desiredCount: e.desiredCount, isCanary: e.isCanary })),
        secretsPerEnvironment: Number(c.hasDatabase) + Number(c.hasCache),
        canaryMinutes: c.canaryMinutes,
        rollbackWindowMinutes: c.rollbackWindowMinutes,
      });
      const text = md(r);
      for (const l of est.lines) expect(text, name).toContain(`| ${l.item} | ${l.basis} | ${usd(l.monthlyUsd)} |`);
      expect(text, name).toContain(`| **Total** | | **${usd(est.totalUsd)}** |`);
      for (const l of est.notIncluded)
        expect(text, name).toContain(`- ${l.item}: about ${usd(l.monthlyUsd)} per month`);
      expect(text, name).toContain(`AWS list prices for ${est.region}`);
      expect(text, name).toContain(`(${est.asOf})`);
      expect(text.includes(`your region, ${c.region}, is priced differently`), name).toBe(c.region !== est.region);
    }
  });

  it('adds up: the total is the sum of the lines, and bigger options cost more', () => {
    const base = estimateMonthlyCost({
      cpu: 512,
      memory: 1024,
      environments: [{ name: 'production', desiredCount: 3 }],
      secretsPerEnvironment: 0,
      canaryMinutes: 10,
      rollbackWindowMinutes: 10,
    });
    const cents = Math.round(base.lines.reduce((s, l) => s + l.monthlyUsd * 100, 0));
    expect(Math.round(base.totalUsd * 100)).toBe(cents);
    const fargate = base.lines.find((l) => l.item === 'Fargate tasks, production')!;
    expect(fargate.monthlyUsd).toBe(
      Math.round(3 * (0.5 * UNIT_PRICES.fargateVcpuHour + 1 * UNIT_PRICES.fargateGbHour) * 730 * 100) / 100,
    );
    const bigger = estimateMonthlyCost({
      cpu: 1024,
      memory: 2048,
      environments: [
        { name: 'staging', desiredCount: 1 },
        { name: 'production', desiredCount: 3 },
      ],
      secretsPerEnvironment: 2,
      canaryMinutes: 10,
      rollbackWindowMinutes: 10,
    });
    expect(bigger.totalUsd).toBeGreaterThan(base.totalUsd);
    expect(base.lines.some((l) => l.item.startsWith('Secrets Manager'))).toBe(false);
  });
});

describe('what was generated, and how to set it up', () => {
  it('lists every file the generator plans', () => {
    for (const [name, r] of all()) {
      const text = md(r);
      for (const spec of r.plan) expect(text, `${name}: ${spec.path}`).toContain(`\`${spec.path}\``);
    }
  });

  it('takes its table of files from the plan: each described file once, in plan order, and no file the plan lacks', () => {
    for (const [name, r] of all()) {
      const listed = fileRows(md(r)).flatMap((row) =>
        [...row.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      );
      expect(listed, name).toEqual(
        r.plan
          .filter(isRendered)
          .filter((s) => s.description !== undefined)
          .map((s) => s.path),
      );
    }
    // Every file of the pipeline itself is described (only adopt mode's own files are not listed).
    expect(docs.alerts!.plan.filter((s) => isRendered(s) && s.description === undefined).map((s) => s.path)).toEqual(
      [],
    );
  });

  it('lists a file added to the plan, where the plan puts it', () => {
    const r = docs.defaults!;
    const extra: FileSpec = {
      path: 'ops/runbook.md',
      kind: 'managed',
      template: 'docs/docs/DEPLOYMENT.md.ejs',
      description: 'The on-call runbook.',
    };
    const at = r.plan.findIndex((s) => s.path === 'Dockerfile');
    const withExtra = withFileTable([...r.plan.slice(0, at), extra, ...r.plan.slice(at)]);
    const rows = fileRows(renderFile(withExtra.filter(isRendered).find((s) => s.path === DOCS_PATH)!, r.ctx));
    const row = rows.indexOf('| `ops/runbook.md` | The on-call runbook. |');
    expect(row).toBeGreaterThan(0);
    expect(rows[row + 1]).toMatch(/^\| `Dockerfile` \|/);
    expect(fileRows(md(r))).toHaveLength(rows.length - 1);
  });

  it('documents exactly the GitHub variables Terraform emits, which cover everything the workflow reads', () => {
    /** Keys of one `output "NAME" { value = { ... } }` map in outputs.tf. */
    const outputKeys = (tf: string, output: string): string[] => {
      const body = tf.slice(tf.indexOf(`output "${output}"`)).split(/\n}\n/)[0]!;
      return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s+=/gm)].map((m) => m[1]!);
    };
    for (const [name, r] of all()) {
      const tf = r.read('terraform/outputs.tf');
      const repoLevel = outputKeys(tf, 'github_repository_variables');
      const envLevel = outputKeys(tf, 'github_environment_variables');
      const table = [...md(r).matchAll(/^\| `([A-Z0-9_]+)` \| (repository|environment) \|/gm)].map((m) => [
        m[1]!,
        m[2]!,
      ]);
      expect(
        table
          .filter(([, l]) => l === 'repository')
          .map(([v]) => v)
          .sort(),
        name,
      ).toEqual([...repoLevel].sort());
      expect(
        table
          .filter(([, l]) => l === 'environment')
          .map(([v]) => v)
          .sort(),
        name,
      ).toEqual([...envLevel].sort());

      const wf = parse(r.read('.github/workflows/deploy.yml')) as { jobs: Record<string, unknown> };
      for (const [job, body] of Object.entries(wf.jobs)) {
        const used = [...JSON.stringify(body).matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!);
        const allowed = job.startsWith('deploy-') ? envLevel : repoLevel;
        for (const v of used) expect(allowed, `${name}: ${job} reads vars.${v}`).toContain(v);
      }
      expect(md(r), name).toContain('terraform output -json github_repository_variables');
      expect(md(r), name).toContain('terraform output -json github_environment_variables');
      for (const e of r.ctx.environments) expect(md(r), name).toContain(`environments/${e.name}"`);
    }
  });

  it('reads only Terraform outputs that exist', () => {
    for (const [name, r] of all()) {
      const outputs = new Set([...r.read('terraform/outputs.tf').matchAll(/^output "(\w+)"/gm)].map((m) => m[1]!));
      const used = [...md(r).matchAll(/(?:terraform output (?:-json|-raw) |output `)(\w+)/g)].map((m) => m[1]!);
      expect(used.length, name).toBeGreaterThan(4);
      for (const o of used) expect(outputs.has(o), `${name}: output ${o}`).toBe(true);
    }
  });

  it('targets only resources the Terraform files declare', () => {
    for (const [name, r] of all()) {
      const tf = r.plan
        .filter((f) => f.path.endsWith('.tf'))
        .map((f) => r.read(f.path))
        .join('\n');
      const targets = [...md(r).matchAll(/-target=(\w+)\.(\w+)/g)];
      expect(targets.length, name).toBeGreaterThanOrEqual(2);
      for (const [, type, id] of targets) expect(tf, `${name}: ${type}.${id}`).toContain(`resource "${type}" "${id}"`);
    }
  });

  it('asks for the Slack secret only when Slack is on', () => {
    for (const [name, r] of all()) {
      expect(md(r).includes(`gh secret set ${r.ctx.slackSecretName}\n`), name).toBe(r.ctx.slack);
    }
  });

  it('lists the TODO entries of terraform.tfvars first when account values are placeholders', () => {
    const r = docs.placeholders!;
    expect(r.ctx.hasPlaceholders).toBe(true);
    const text = md(r);
    const first = text.slice(text.indexOf('## First deployment'));
    expect(first).toMatch(
      /^## First deployment\n\n1\. Fill in the `TODO\(create-canary-pipeline\)` entries of `terraform\/terraform.tfvars`/,
    );
    const tfvars = r.read('terraform/terraform.tfvars');
    for (const key of [
      'vpc_id',
      'public_subnet_ids',
      'private_subnet_ids',
      'certificate_arn',
      'github_org',
      'github_repo',
    ]) {
      expect(tfvars, key).toContain(key);
      expect(first, key).toContain(`\`${key}\``);
    }
    expect(md(docs.defaults!)).not.toContain('TODO(create-canary-pipeline)');
  });

  it('has shell blocks that parse and pass shellcheck', () => {
    for (const [name, r] of all()) {
      const blocks = [...md(r).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {3}/gm, ''));
      expect(blocks.length, name).toBeGreaterThanOrEqual(4);
      const file = join(mkdtempSync(join(tmpdir(), 'ccp-docs-')), 'steps.sh');
      writeFileSync(file, `#!/bin/bash\n${blocks.join('\n')}`);
      // SC2164: the steps are typed into an interactive shell, where a failed cd is seen at once.
      const sc = spawnSync('shellcheck', ['-s', 'bash', '-e', 'SC2164', file], { encoding: 'utf8' });
      expect(sc.stdout, name).toBe('');
      expect(sc.status, name).toBe(0);
    }
  });
});

describe('rollback drill and migrations', () => {
  it('drills with 5xx on a real route, never with a failing health check', () => {
    for (const [name, r] of all()) {
      const drill = md(r).slice(md(r).indexOf('## Rollback drill'), md(r).indexOf('## Approximate monthly cost'));
      expect(drill, name).toContain('make a real route fail');
      expect(drill, name).toContain('Do **not** make `/livez` fail');
      expect(drill, name).toContain(`send about ${r.ctx.expectedRpm} requests per minute`);
    }
  });

  it('describes the automated drill of the chain staging really has, with the time the model predicts', () => {
    for (const [name, r] of all()) {
      const text = md(r);
      const staging = r.ctx.environments.find((e) => e.name === 'staging');
      // Whitespace-normalised: the template wraps lines where the numbers fall.
      const section = text.includes('### Automated drill in staging')
        ? text
            .slice(text.indexOf('### Automated drill in staging'), text.indexOf('### Crash drill'))
            .replace(/\s+/g, ' ')
        : '';
      expect(
        r.plan.some((f) => f.path === '.github/workflows/rollback-drill.yml'),
        name,
      ).toBe(r.ctx.isEcs && staging !== undefined);
      if (!r.ctx.isEcs || !staging) {
        expect(section, name).toBe('');
        continue;
      }
      const crash = crashDrill('staging', staging.desiredCount);
      const smokeMinutes = Math.ceil(r.ctx.smokeTest.timeoutSeconds / 60);
      const deadline = staging.isCanary
        ? DRILL_ASSUMPTIONS.provisionMaxMinutes + smokeMinutes + DRILL_ASSUMPTIONS.rollbackMaxMinutes
        : crash.maxMinutes + DRILL_ASSUMPTIONS.rollbackMaxMinutes;
      expect(section, name).toContain(`\`ROLLBACK_SUCCESSFUL\` within ${deadline} min`);
      expect(section.includes('DRILL_CRASH=1'), name).toBe(!staging.isCanary);
      expect(section.includes('`DRILL_FAIL_PATH`'), name).toBe(staging.isCanary);
      if (!staging.isCanary)
        expect(section, name).toContain(`after ${crash.threshold} failed tasks (${crash.rounds} round`);
      const workflow = parse(r.read('.github/workflows/rollback-drill.yml')) as {
        jobs: Record<string, { steps: Array<{ id?: string; env?: Record<string, string> }> }>;
      };
      const measure = workflow.jobs['drill-staging']!.steps.find((st) => st.id === 'measure')!;
      expect(measure.env!.DEADLINE_MINUTES, name).toBe(String(deadline));
    }
    expect(docs.canaryStaging!.ctx.environments.find((e) => e.name === 'staging')!.isCanary).toBe(true);
    expect(docs.defaults!.ctx.environments.find((e) => e.name === 'staging')!.isCanary).toBe(false);
  });

  it('states the expand/contract rules and the safe NOT NULL recipe', () => {
    for (const [name, r] of all()) {
      const text = md(r);
      expect(text, name).toContain('**Expand** before the deployment');
      expect(text, name).toContain('**Contract** one release later');
      expect(text, name).toContain('CHECK (delivery_notes IS NOT NULL) NOT VALID');
      expect(text.indexOf('VALIDATE CONSTRAINT'), name).toBeLessThan(text.indexOf('SET NOT NULL;'));
      expect(text.includes('The pipeline runs `'), name).toBe(r.ctx.hasDatabase);
    }
  });

  it('draws the pipeline with one deploy node per environment', () => {
    for (const [name, r] of all()) {
      const mermaid = /```mermaid\n([\s\S]*?)```/.exec(md(r))![1]!;
      expect(mermaid.startsWith('flowchart LR\n'), name).toBe(true);
      const nodes = [...mermaid.matchAll(/^ {2}(deploy_\w+)\["/gm)].map((m) => m[1]);
      expect(nodes, name).toEqual(r.ctx.environments.map((e) => `deploy_${e.name}`));
      expect(mermaid.includes('notify'), name).toBe(r.ctx.slack);
    }
  });
});

describe('the cost of a rolling staging', () => {
  it('counts the second set of staging tasks only while they start, not for the canary window and bake', () => {
    const input = { cpu: 512, memory: 1024, secretsPerEnvironment: 0, canaryMinutes: 10, rollbackWindowMinutes: 10 };
    const overlap = (isCanary: boolean): number =>
      estimateMonthlyCost({
        ...input,
        environments: [
          { name: 'staging', desiredCount: 1, isCanary },
          { name: 'production', desiredCount: 3 },
        ],
      }).lines.find((l) => l.item === 'Fargate, second set of tasks during deployments')!.monthlyUsd;
    expect(overlap(false)).toBeLessThan(overlap(true));
    const rolling = estimateMonthlyCost({
      ...input,
      environments: [
        { name: 'staging', desiredCount: 1, isCanary: false },
        { name: 'production', desiredCount: 3 },
      ],
    });
    expect(rolling.lines.find((l) => l.item.startsWith('Fargate, second'))!.basis).toBe(
      '20 deployments × (5 + 10 + 10) min × 3 tasks + 5 min (rolling) × 1 tasks',
    );
  });
});
