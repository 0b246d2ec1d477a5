/**
 * Unit tests of the harness's parsing helpers: traversal reading, terraform fmt diff parsing,
 * shellcheck input preparation, suggestions and tsc output parsing.
 */
import { describe, expect, it } from 'vitest';
import { closest } from './validate/closest.js';
import { parseFmtDiff } from './validate/terraform/fmt.js';
import { expressionRefs } from './validate/terraform/hcl.js';
import { namesAfter, readTraversal } from './validate/terraform/traversal.js';
import { EXPR_PLACEHOLDER, shellcheckInput } from './validate/workflow/shellcheck.js';

describe('readTraversal', () => {
  it.each([
    ['aws_subnet.private[0].id', 'aws_subnet.private[0].id', ['aws_subnet', 'private', 'id']],
    ['aws_subnet.a[*].id)', 'aws_subnet.a[*].id', ['aws_subnet', 'a', 'id']],
    [
      'aws_lb_target_group.app["${each.key}-blue"].arn, x',
      'aws_lb_target_group.app["${each.key}-blue"].arn',
      ['aws_lb_target_group', 'app', 'arn'],
    ],
    ['data.aws_region.current.region}', 'data.aws_region.current.region', ['data', 'aws_region', 'current', 'region']],
    ['aws_x.y.0.id', 'aws_x.y.0.id', ['aws_x', 'y', 'id']],
    ['var.m[local.k[0]].v', 'var.m[local.k[0]].v', ['var', 'm', 'v']],
  ])('%s', (text, source, names) => {
    const t = readTraversal(text, 0);
    expect(t.source).toBe(source);
    expect(namesAfter(t.steps, 0)).toEqual(names);
  });
});

describe('expressionRefs', () => {
  const refs = async (value: string, locals: string[] = []): Promise<string[]> =>
    (await expressionRefs('t.tf', value, new Set(locals))).map((r) => r.source);

  it('finds traversals in plain interpolations without hcl2json', async () => {
    expect(await refs('${var.name}-${aws_lb.app[each.key].arn}')).toEqual([
      'var.name',
      'aws_lb.app[each.key].arn',
      'each.key',
    ]);
  });

  it('treats for-expression variables as locals, in every part of the expression', async () => {
    expect(await refs('${{ for k, v in local.m : k => aws_x.y[v].arn if v != var.skip }}')).toEqual([
      'local.m',
      'aws_x.y[v].arn',
      'var.skip',
    ]);
  });

  it('reads inside jsonencode, heredoc-style text with quotes, and template directives', async () => {
    expect(await refs('${jsonencode({ a = "${var.x}" })}')).toEqual(['var.x']);
    expect(await refs('{"Resource": "${aws_s3_bucket.b.arn}/*", "q": "a \\"b\\""}')).toEqual(['aws_s3_bucket.b.arn']);
    expect(await refs('%{ for p in var.ports }${p}:${aws_lb.main.port} %{ endfor }')).toEqual([
      'var.ports',
      'aws_lb.main.port',
    ]);
  });

  it('drops references rooted at given locals (dynamic-block iterators)', async () => {
    expect(await refs('${port.value}-${var.x}', ['port'])).toEqual(['var.x']);
  });

  it('ignores escaped interpolation', async () => {
    expect(await refs('$${not.a.ref} ${var.y}')).toEqual(['var.y']);
  });
});

describe('parseFmtDiff', () => {
  it('reports the first changed line of each hunk with the formatted text', () => {
    const diff = [
      '--- old/terraform/main.tf',
      '+++ new/terraform/main.tf',
      '@@ -10,4 +10,4 @@',
      ' resource "aws_x" "y" {',
      '-  a = 1',
      '+  a   = 1',
      '   bbb = 2',
      ' }',
      '--- old/terraform/v.tf',
      '+++ new/terraform/v.tf',
      '@@ -1,3 +1,3 @@',
      ' variable "x" {',
      '-  type=string',
      '+  type = string',
      ' }',
    ].join('\n');
    expect(parseFmtDiff(diff).map((f) => [f.file, f.line, f.hint])).toEqual([
      ['terraform/main.tf', 11, 'run `terraform fmt -recursive`; expected: "  a   = 1"'],
      ['terraform/v.tf', 2, 'run `terraform fmt -recursive`; expected: "  type = string"'],
    ]);
  });
});

describe('parseFmtDiff edge cases', () => {
  it('reports one finding per change block and a pure insertion once', () => {
    const diff = [
      '--- old/t/a.tf',
      '+++ new/t/a.tf',
      '@@ -1,5 +1,6 @@',
      ' x {',
      '-  a = 1',
      '-  bb = 2',
      '+  a  = 1',
      '+  bb = 2',
      ' }',
      '+',
      ' y {}',
    ].join('\n');
    expect(parseFmtDiff(diff).map((f) => [f.line, f.message])).toEqual([
      [2, 'not formatted as terraform fmt writes it: "  a = 1"'],
      [5, 'terraform fmt would insert a line here'],
    ]);
  });
});

describe('shellcheckInput', () => {
  it('replaces every GitHub expression with one plain word', () => {
    expect(shellcheckInput('echo "${{ github.sha }}" ${{ env.X }}\n${HOME}')).toBe(
      `echo "${EXPR_PLACEHOLDER}" ${EXPR_PLACEHOLDER}\n\${HOME}`,
    );
  });
});

describe('closest', () => {
  it('suggests near misses only', () => {
    expect(closest('ingres', ['ingress', 'egress'])).toBe('ingress');
    expect(closest('propagate_tagz', ['propagate_tags', 'tags'])).toBe('propagate_tags');
    expect(closest('zzz', ['ingress', 'egress'])).toBeUndefined();
  });
});
