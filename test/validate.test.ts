/**
 * The validation harness against planted defects (test/fixtures/planted/<name>): every validator
 * must catch its defect at the right place AND report nothing else, and a clean fixture exercising
 * every validator must produce no finding — so no validator can pass vacuously or cry wolf.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture } from './validate/fixtures.js';
import { formatFindings, validateTree, type Finding } from './validate/index.js';
import { missingToolFindings } from './validate/tools.js';

interface Planted {
  readonly name: string;
  /** Exactly the findings expected, as file:line rule (line omitted when the validator cannot know it). */
  readonly expected: readonly string[];
}

const WF = '.github/workflows/ci.yml';
const TF = 'terraform/main.tf';
const TD = '.aws/taskdef.production.json';

const PLANTED: readonly Planted[] = [
  // workflows
  { name: 'wf-unpinned-action', expected: [`${WF}:9 hardening/unpinned-action`] },
  { name: 'wf-cross-job-steps', expected: [`${WF}:16 actionlint/expression`] },
  { name: 'wf-unquoted-variable', expected: [`${WF}:13 shellcheck/SC2086`] },
  { name: 'wf-event-in-run', expected: [`${WF}:9 actionlint/expression`, `${WF}:11 hardening/untrusted-input-in-run`] },
  { name: 'wf-expression-in-run', expected: [`${WF}:9 hardening/expression-in-run`] },
  { name: 'wf-missing-permissions', expected: [`${WF}:1 hardening/missing-permissions`] },
  { name: 'wf-id-token-on-test-job', expected: [`${WF}:6 hardening/id-token-without-role`] },
  { name: 'wf-duplicate-key', expected: [`${WF}:8 actionlint/syntax-check`, `${WF}:8 yaml/duplicate-key`] },
  { name: 'yaml-duplicate-key', expected: ['.github/dependabot.yml:7 yaml/duplicate-key'] },
  // terraform
  { name: 'tf-unknown-argument', expected: [`${TF}:4 terraform/unknown-argument`] },
  { name: 'tf-missing-required-block', expected: [`${TF}:6 terraform/missing-block`] },
  { name: 'tf-missing-required-argument', expected: [`${TF}:5 terraform/missing-argument`] },
  { name: 'tf-undeclared-resource', expected: [`${TF}:7 terraform/undeclared-resource`] },
  { name: 'tf-unknown-attribute', expected: [`${TF}:7 terraform/unknown-attribute`] },
  { name: 'tf-undeclared-variable', expected: [`${TF}:6 terraform/undeclared-variable`] },
  { name: 'tf-undeclared-local', expected: [`${TF}:6 terraform/undeclared-local`] },
  { name: 'tf-undeclared-data', expected: [`${TF}:2 terraform/undeclared-data-source`] },
  { name: 'tf-undeclared-in-for', expected: [`${TF}:6 terraform/undeclared-resource`] },
  { name: 'tf-missing-instance-key', expected: [`${TF}:20 terraform/missing-instance-key`] },
  { name: 'tf-unexpected-instance-key', expected: [`${TF}:6 terraform/unexpected-instance-key`] },
  { name: 'tf-fmt', expected: [`${TF}:2 terraform/fmt`] },
  { name: 'tf-unknown-resource-type', expected: [`${TF}:1 terraform/unknown-resource-type`] },
  { name: 'tf-read-only-attribute', expected: [`${TF}:3 terraform/read-only-attribute`] },
  { name: 'tf-nested-unknown', expected: [`${TF}:9 terraform/unknown-argument`] },
  { name: 'tf-dynamic-unknown', expected: [`${TF}:8 terraform/unknown-argument`] },
  { name: 'tf-duplicate', expected: [`${TF}:1 terraform/duplicate`] },
  { name: 'tf-tfvars-undeclared', expected: ['terraform/terraform.tfvars:2 terraform/undeclared-variable'] },
  { name: 'tf-syntax', expected: [`${TF}:2 terraform/fmt`, `${TF}:2 terraform/syntax`] },
  // JSON and task definitions
  { name: 'taskdef-missing-container-definitions', expected: [`${TD} taskdef/missing`] },
  { name: 'taskdef-unknown-key', expected: [`${TD}:9 taskdef/unknown`] },
  { name: 'taskdef-wrong-type', expected: [`${TD}:3 taskdef/type`, `${TD}:8 taskdef/type`] },
  { name: 'taskdef-bad-enum', expected: [`${TD}:3 taskdef/enum`] },
  { name: 'json-syntax', expected: ['config/settings.json:4 json/syntax'] },
  { name: 'json-duplicate-key', expected: ['config/settings.json:4 json/duplicate-key'] },
  // generated code
  { name: 'js-syntax', expected: ['src/server.js:5 js/syntax'] },
  { name: 'ts-type-error', expected: ['src/server.ts:4 tsc/TS2322'] },
  { name: 'ts-missing-module', expected: ['src/server.ts:1 tsc/TS2835'] },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function findingsOf(name: string): Promise<Finding[]> {
  const dir = copyFixture(name);
  dirs.push(dir);
  return validateTree(dir);
}

const brief = (f: Finding): string => `${f.file}${f.line === undefined ? '' : `:${f.line}`} ${f.rule}`;

describe('planted defects', () => {
  it.each(PLANTED)('$name is caught, and nothing else is reported', async ({ name, expected }) => {
    const findings = await findingsOf(name);
    expect(findings.map(brief), formatFindings(findings)).toEqual(expected);
    for (const f of findings) {
      expect(f.message.length, brief(f)).toBeGreaterThan(10);
      expect(f.hint.length, brief(f)).toBeGreaterThan(5);
    }
  });
});

describe('clean fixture', () => {
  it('exercises every validator and yields no finding', async () => {
    const findings = await findingsOf('clean');
    expect(formatFindings(findings)).toBe('');
  });
});

/** One-line edits of the clean fixture, each of which one validator must notice. */
const MUTATIONS: readonly { file: string; from: string; to: string; rule: string }[] = [
  {
    file: WF,
    from: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
    to: 'actions/checkout@v4',
    rule: 'hardening/unpinned-action',
  },
  { file: WF, from: 'printf \'PR: %s\\n\' "$TITLE"', to: "printf 'PR: %s\\n' $TITLE", rule: 'shellcheck/SC2086' },
  {
    file: WF,
    from: 'FILES: ${{ steps.summary.outputs.files }}',
    to: 'FILES: ${{ steps.sumary.outputs.files }}',
    rule: 'actionlint/expression',
  },
  { file: TF, from: 'retention_in_days', to: 'retention_in_dayz', rule: 'terraform/unknown-argument' },
  {
    file: TF,
    from: 'aws_security_group.alb[each.key].id',
    to: 'aws_security_group.alb[each.key].ids',
    rule: 'terraform/unknown-attribute',
  },
  {
    file: 'terraform/outputs.tf',
    from: 'lb.dns_name',
    to: 'aws_lb.ap[env].dns_name',
    rule: 'terraform/undeclared-resource',
  },
  { file: TD, from: '"essential": true', to: '"essential": "yes"', rule: 'taskdef/type' },
  {
    file: 'src/health.ts',
    from: 'uptime: process.uptime()',
    to: 'uptime: String(process.uptime())',
    rule: 'tsc/TS2322',
  },
  {
    file: 'src/healthcheck.js',
    from: 'process.exit(res?.ok ? 0 : 1);',
    to: 'process.exit(res?.ok ? 0 : );',
    rule: 'js/syntax',
  },
  // compose.yaml: the Compose schema, dclint's rules, and `docker compose config`'s own checks
  {
    file: 'compose.yaml',
    from: '      interval: 2s\n      timeout: 5s\n      retries: 15\n\n  redis',
    to: '      intervall: 2s\n      timeout: 5s\n      retries: 15\n\n  redis',
    rule: 'compose/invalid-schema',
  },
  { file: 'compose.yaml', from: '- postgres-data:/var/lib', to: '- pgdata:/var/lib', rule: 'compose/undefined-volume' },
  { file: 'compose.yaml', from: "'127.0.0.1:6379:6379'", to: "'127.0.0.1:6379:637900'", rule: 'compose/port' },
  {
    file: 'compose.yaml',
    from: '      interval: 2s\n      timeout: 5s\n      retries: 15\n\nvolumes',
    to: '      interval: 2 seconds\n      timeout: 5s\n      retries: 15\n\nvolumes',
    rule: 'compose/duration',
  },
  {
    file: 'compose.yaml',
    from: 'POSTGRES_PASSWORD: app',
    to: 'POSTGRES_PASSWORD: pa$word',
    rule: 'compose/interpolation',
  },
  {
    file: 'compose.yaml',
    from: 'image: redis:7-alpine',
    to: 'image: redis',
    rule: 'compose/service-image-require-explicit-tag',
  },
];

describe('clean fixture, mutated', () => {
  it.each(MUTATIONS)('$file: "$to" is reported as $rule', async ({ file, from, to, rule }) => {
    const dir = copyFixture('clean');
    dirs.push(dir);
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(dir, file), text.replace(from, to));
    const findings = await validateTree(dir);
    expect(
      findings.map((f) => `${f.file} ${f.rule}`),
      formatFindings(findings),
    ).toEqual([`${file} ${rule}`]);
  });
});

describe('messages', () => {
  it('say what is wrong and how to fix it', async () => {
    const [unknown] = await findingsOf('taskdef-unknown-key');
    expect(unknown?.message).toContain('containerDefinitions[0].healthcheck');
    expect(unknown?.hint).toContain('healthCheck');
    const [attr] = await findingsOf('tf-unknown-attribute');
    expect(attr?.message).toContain('aws_lb.main has no attribute "dns"');
    const [dyn] = await findingsOf('tf-dynamic-unknown');
    expect(dyn?.hint).toContain('"ingress"');
    const [fmt] = await findingsOf('tf-fmt');
    expect(fmt?.hint).toContain('name                 = \\"app\\"');
  });

  it('format as one line per finding: file:line rule: message (fix: hint)', () => {
    const text = formatFindings([
      { file: 'a.tf', line: 3, rule: 'terraform/x', message: 'broken', hint: 'mend it' },
      { file: 'b.json', rule: 'json/y', message: 'bad', hint: 'fix' },
    ]);
    expect(text).toBe('a.tf:3 terraform/x: broken (fix: mend it)\nb.json json/y: bad (fix: fix)');
  });
});

describe('missing external tools', () => {
  it('are a failure in CI', () => {
    const found = missingToolFindings('no-such-tool-for-validate', 'terraform', { CI: 'true' });
    expect(found?.map((f) => f.rule)).toEqual(['tool/missing']);
  });

  it('are a visible notice, not a failure, outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(missingToolFindings('no-such-tool-for-validate-2', 'terraform', {})).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('no-such-tool-for-validate-2 is not installed'));
    } finally {
      warn.mockRestore();
    }
  });

  it('are not reported when installed (shellcheck and terraform run in this suite)', () => {
    expect(missingToolFindings('shellcheck', 'x', { CI: 'true' })).toBeNull();
    expect(missingToolFindings('terraform', 'x', { CI: 'true' })).toBeNull();
  });
});
