/**
 * The generated terraform/: pins the domain audit's BREAKS and INSECURE items that can be checked on
 * the rendered HCL (parsed with @cdktf/hcl2json), per scenario, and runs the validation harness
 * (provider schema, references, terraform fmt) on every scenario.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  renderTerraform,
  TERRAFORM_SCENARIOS as SCENARIOS,
  type Json,
  type RenderedTerraform as Rendered,
} from './support/render-terraform.js';
import { formatFindings, validateTree } from './validate/index.js';

/** The single block of a resource/data source (blocks are arrays in hcl2json). */
const block = (r: Rendered, kind: 'resource' | 'data', type: string, name: string): Json => {
  const b = r.hcl[kind]?.[type]?.[name];
  if (!b) throw new Error(`${kind} ${type}.${name} is not rendered`);
  return b[0];
};
const res = (r: Rendered, type: string, name: string): Json => block(r, 'resource', type, name);
const ignored = (b: Json): string[] =>
  (b.lifecycle?.[0]?.ignore_changes ?? []).map((s: string) => s.replace(/^\$\{(.*)\}$/, '$1'));

const rendered = new Map<string, Rendered>();
async function scenario(name: string): Promise<Rendered> {
  if (!rendered.has(name)) rendered.set(name, await renderTerraform(SCENARIOS[name]!));
  return rendered.get(name)!;
}

describe.each(Object.keys(SCENARIOS))('terraform/ for %s', (name) => {
  it('judges the canary per target group: both colours, TargetGroup dimension, sample guard, missing data', async () => {
    const r = await scenario(name);
    expect(r.hcl.locals.target_groups).toContain('["blue", "green"]');
    const rate = res(r, 'aws_cloudwatch_metric_alarm', 'target_5xx_rate');
    expect(rate.for_each).toBe('${local.target_groups}');
    const metrics = rate.metric_query.filter((q: Json) => q.metric).map((q: Json) => q.metric[0]);
    expect(metrics.map((m: Json) => m.metric_name).sort()).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
    for (const m of metrics) expect(Object.keys(m.dimensions).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
    expect(rate.metric_query.find((q: Json) => q.return_data).expression).toMatch(
      /^IF\(req >= .*FILL\(err, 0\) \/ req, 0\)$/,
    );
    // The design of the detection model, over its sliding window, 1 of 1 datapoint.
    const d = r.ctx.detection;
    expect(r.hcl.locals.canary_alarm).toEqual({
      threshold_pct: d.alarmThresholdPct,
      window_seconds: d.windowMinutes * 60,
      min_requests: d.minRequests,
    });
    for (const m of metrics) expect(m.period).toBe('${local.canary_alarm.window_seconds}');
    expect([rate.evaluation_periods, rate.datapoints_to_alarm]).toEqual([1, 1]);
    // Blue and green swap roles: no colour in any alarm name or dashboard label.
    expect(r.hcl.locals.target_group_slot).toEqual({ blue: 1, green: 2 });
    for (const alarm of [rate, res(r, 'aws_cloudwatch_metric_alarm', 'target_unhealthy')]) {
      expect(alarm.alarm_name).toMatch(
        /^\$\{var\.name\}-\$\{each\.value\.env\}-tg\$\{local\.target_group_slot\[each\.value\.color\]\}-[a-z0-9-]+$/,
      );
    }
    const dashboard = String(res(r, 'aws_cloudwatch_dashboard', 'deployment').dashboard_body);
    expect(dashboard).toContain('label = "target group ${local.target_group_slot[tg.color]}"');
    expect(dashboard).not.toMatch(/label = tg\.color/);
    const unhealthy = res(r, 'aws_cloudwatch_metric_alarm', 'target_unhealthy');
    expect(unhealthy.for_each).toBe('${local.target_groups}');
    expect(Object.keys(unhealthy.dimensions)).toContain('TargetGroup');
    const elb = res(r, 'aws_cloudwatch_metric_alarm', 'elb_5xx_rate');
    for (const alarm of [rate, unhealthy, elb]) {
      expect(alarm.treat_missing_data).toBe('notBreaching');
      expect(alarm.alarm_actions.join()).toContain('aws_sns_topic.alerts');
    }
    expect(r.hcl.locals.deployment_alarm_names).toMatch(/target_5xx_rate[\s\S]*target_unhealthy[\s\S]*elb_5xx_rate/);
  });

  it('pins Terraform >= 1.11 and the AWS provider that has ECS CANARY, with S3-native state locking', async () => {
    const r = await scenario(name);
    const tf = r.hcl.terraform[0];
    expect(tf.required_version).toMatch(/^>= 1\.11/);
    expect(tf.required_providers[0].aws.version).toMatch(/^>= 6\.21\.\d+, < 7\.0\.0$/);
    expect(tf.backend.s3[0]).toMatchObject({ use_lockfile: true, encrypt: true });
    expect(res(r, 'aws_ecs_task_definition', 'app').container_definitions).toContain(
      'image                  = var.bootstrap_image',
    );
  });

  it('gives every dashboard widget a region', async () => {
    const r = await scenario(name);
    const body: string = res(r, 'aws_cloudwatch_dashboard', 'deployment').dashboard_body;
    const widgets = body.match(/properties = \{/g) ?? [];
    expect(widgets.length).toBeGreaterThan(0);
    expect(body.match(/region = var\.region/g)).toHaveLength(widgets.length);
  });

  it('rolls back a crashing release, keeps target groups in use and trusts only this account', async () => {
    const r = await scenario(name);
    const service = res(r, 'aws_ecs_service', 'app');
    if (r.ctx.isEcs) {
      expect(service.deployment_circuit_breaker).toEqual([{ enable: true, rollback: true }]);
      const trust = block(r, 'data', 'aws_iam_policy_document', 'ecs_infrastructure_trust').statement[0];
      expect(trust.condition).toEqual([
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${local.account_id}'] },
      ]);
    } else {
      // ECS offers the circuit breaker only with the ECS controller; CodeDeploy relies on the smoke test.
      expect(service.deployment_circuit_breaker).toBeUndefined();
    }
    const tg = res(r, 'aws_lb_target_group', 'app');
    expect(ignored(tg)).toContain('port');
    // The smoke test: one function per environment, named as the appspec / hook expect.
    const fn = res(r, 'aws_lambda_function', 'smoke_test');
    expect(fn.for_each).toBe('${local.env}');
    expect(fn.vpc_config[0].subnet_ids).toBe('${var.private_subnet_ids}');
    expect(r.hcl.locals.smoke_test_function_names).toBe(
      `\${{ for e in var.environments : e => "${r.ctx.smokeTest.functionPrefix}\${var.name}-\${substr(e, 0, 4)}-smoke" }}`,
    );
    for (const e of r.ctx.environments)
      expect(r.ctx.smokeTest.functionNames[e.name]).toBe(
        `${r.ctx.smokeTest.functionPrefix}${r.ctx.serviceName}-${e.name.slice(0, 4)}-smoke`,
      );
    if (r.ctx.isEcs) {
      // Only the canary environments: a rolling update has no test-traffic stage to hook.
      expect(service.deployment_configuration[0].dynamic.lifecycle_hook).toEqual([
        {
          for_each: '${each.value.canary ? [1] : []}',
          content: [
            {
              hook_target_arn: '${aws_lambda_function.smoke_test[each.key].arn}',
              role_arn: '${aws_iam_role.smoke_test_hook.arn}',
              lifecycle_stages: ['POST_TEST_TRAFFIC_SHIFT'],
            },
          ],
        },
      ]);
      const invoke = block(r, 'data', 'aws_iam_policy_document', 'smoke_test_hook').statement;
      expect(invoke).toEqual([
        { actions: ['lambda:InvokeFunction'], resources: '${[for f in aws_lambda_function.smoke_test : f.arn]}' },
      ]);
    } else {
      expect(r.ctx.smokeTest.functionPrefix).toBe('CodeDeployHook_');
    }
    // Alerts to Slack only when asked for, with a notifications-only role that is also the guardrail.
    const chat = r.hcl.resource.aws_chatbot_slack_channel_configuration?.alerts?.[0];
    if (r.ctx.alertsSlack) {
      expect(chat).toMatchObject({
        sns_topic_arns: '${[for topic in aws_sns_topic.alerts : topic.arn]}',
        guardrail_policy_arns: ['${aws_iam_policy.chatbot_notifications.arn}'],
      });
      expect(r.hcl.locals.alerts_slack).toEqual({
        team_id: r.ctx.alertsSlack.teamId,
        channel_id: r.ctx.alertsSlack.channelId,
      });
      const allowed = block(r, 'data', 'aws_iam_policy_document', 'chatbot_notifications').statement.flatMap(
        (st: Json) => st.actions,
      );
      expect(allowed).toEqual(['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData']);
      expect(
        block(r, 'data', 'aws_iam_policy_document', 'chatbot_trust').statement[0].principals[0].identifiers,
      ).toEqual(['chatbot.amazonaws.com']);
    } else {
      expect(chat).toBeUndefined();
    }
    // The alarm gate reads exactly this environment's deployment alarms, nothing else in CloudWatch.
    const statements = block(r, 'data', 'aws_iam_policy_document', 'deploy').statement as Json[];
    const cloudwatch = statements.filter((st) => (st.actions as string[]).some((a) => a.startsWith('cloudwatch:')));
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]!.actions).toEqual(['cloudwatch:DescribeAlarms']);
    expect(cloudwatch[0]!.resources).toBe(
      '${[for name in local.deployment_alarm_names[each.key] : "arn:aws:cloudwatch:${var.region}:${local.account_id}:alarm:${name}"]}',
    );
  });

  it('lets CI own what it changes: ignore_changes on the service revision and on the traffic switch', async () => {
    const r = await scenario(name);
    const service = res(r, 'aws_ecs_service', 'app');
    expect(ignored(service)).toContain('task_definition');
    if (r.ctx.isEcs) {
      expect(service.deployment_controller[0].type).toBe('ECS');
      expect(ignored(res(r, 'aws_lb_listener_rule', 'production'))).toContain('action');
      expect(ignored(res(r, 'aws_lb_listener_rule', 'test'))).toContain('action');
      // Blue/green routing for the canary; a rolling environment (staging by default) uses one target group.
      const advanced = service.load_balancer[0].dynamic.advanced_configuration[0];
      expect(advanced.for_each).toBe('${each.value.canary ? [1] : []}');
      expect(advanced.content[0].test_listener_rule).toContain('aws_lb_listener_rule.test');
      expect(service.deployment_configuration[0].strategy).toBe('${each.value.canary ? "CANARY" : "ROLLING"}');
      expect(service.dynamic?.deployment_circuit_breaker).toBeUndefined(); // one static block for every strategy
      expect(r.hcl.locals.env).toContain('canary        = e == "production" || var.staging_strategy == "canary"');
    } else {
      expect(service.deployment_controller[0].type).toBe('CODE_DEPLOY');
      expect(ignored(service)).toContain('load_balancer');
      expect(ignored(res(r, 'aws_lb_listener', 'https'))).toContain('default_action');
      expect(ignored(res(r, 'aws_lb_listener', 'test'))).toContain('default_action');
    }
  });

  it('trusts exactly the workflow: build on main, deploy per GitHub environment, StringEquals only', async () => {
    const r = await scenario(name);
    const jobs = Object.values((parseYaml(r.workflow) as Json).jobs) as Json[];
    const jobEnvs = jobs.map((j) => j.environment).filter(Boolean);
    const envs = r.ctx.environments.map((e) => e.name);
    expect(jobEnvs).toEqual(envs);
    expect(r.tfvars.environments).toEqual(envs);
    // The subjects themselves are evaluated by Terraform against GitHub's documented ones in oidc-trust.test.ts.
    const cond = (doc: Json, claim: string): Json | undefined =>
      doc.statement[0].condition.find((c: Json) => c.variable === `token.actions.githubusercontent.com:${claim}`);
    const buildTrust = block(r, 'data', 'aws_iam_policy_document', 'build_trust');
    const deployTrust = block(r, 'data', 'aws_iam_policy_document', 'deploy_trust');
    expect(cond(buildTrust, 'sub')!.values).toBe('${local.github_build_subjects}');
    expect(deployTrust.for_each).toBe('${local.env}');
    expect(cond(deployTrust, 'sub')!.values).toBe('${local.github_deploy_subjects[each.key]}');
    expect(cond(deployTrust, 'ref')!.values).toEqual(['refs/heads/main']);
    expect(cond(buildTrust, 'ref')).toBeUndefined(); // its sub names the branch
    for (const doc of [buildTrust, deployTrust]) {
      expect(doc.statement[0].dynamic.condition[0].for_each).toBe('${local.github_repository_ids}');
      for (const c of [
        ...doc.statement[0].condition,
        ...doc.statement[0].dynamic.condition.map((d: Json) => d.content[0]),
      ])
        expect(c.test).toBe('StringEquals');
    }
    expect(r.hcl.locals.env).toContain('for e in var.environments');
    expect([...r.files.values()].join('\n')).not.toMatch(/StringLike|ForAllValues/);
    expect(res(r, 'aws_iam_openid_connect_provider', 'github').thumbprint_list).toBeUndefined();
    expect(r.hcl.locals.github_sub_prefixes).toContain(
      '@${var.github_owner_id}/${var.github_repo}@${var.github_repo_id}',
    );
    const build = block(r, 'data', 'aws_iam_policy_document', 'build');
    expect(build.statement.find((x: Json) => x.sid === 'ReadPushedImageDigest')).toMatchObject({
      actions: ['ecr:DescribeImages'],
      resources: ['${aws_ecr_repository.app.arn}'],
    });
  });

  it('keeps the roles least-privilege and long enough for the deploy job', async () => {
    const r = await scenario(name);
    const build = block(r, 'data', 'aws_iam_policy_document', 'build');
    for (const s of build.statement) for (const a of s.actions) expect(a).toMatch(/^ecr:/);
    const deploy = block(r, 'data', 'aws_iam_policy_document', 'deploy');
    const pass = deploy.statement.find((s: Json) => s.actions.includes('iam:PassRole'));
    expect(pass.resources.join()).toMatch(/aws_iam_role\.task\[each\.key\].*aws_iam_role\.execution\[each\.key\]/);
    expect(pass.condition[0].variable).toBe('iam:PassedToService');
    const runTask = deploy.statement.find((s: Json) => s.actions.includes('ecs:RunTask'));
    expect(Boolean(runTask)).toBe(r.ctx.hasDatabase);
    if (runTask) expect(runTask.condition[0].variable).toBe('ecs:cluster');
    expect(res(r, 'aws_iam_role', 'deploy').max_session_duration).toBeGreaterThanOrEqual(
      r.ctx.deployTimeoutMinutes * 60,
    );
    expect(Boolean(r.hcl.output.migrate_command)).toBe(r.ctx.hasDatabase);
  });

  it('drains both target groups, hardens the ALB and never uses a mutable image tag', async () => {
    const r = await scenario(name);
    const tg = res(r, 'aws_lb_target_group', 'app');
    expect(tg.for_each).toBe('${local.target_groups}');
    expect(tg.deregistration_delay).toBe(30);
    expect(tg.health_check[0].path).toBe('/livez');
    const lb = res(r, 'aws_lb', 'app');
    expect(lb.drop_invalid_header_fields).toBe(true);
    expect(lb.enable_deletion_protection).toBe(true);
    expect(res(r, 'aws_lb_listener', 'https').ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
    expect(res(r, 'aws_lb_listener', 'http').default_action[0].redirect[0].status_code).toBe('HTTP_301');
    expect(res(r, 'aws_ecr_repository', 'app').image_tag_mutability).toBe('IMMUTABLE');
    expect([...r.files.values()].join('\n')).not.toContain(':latest');
    expect(r.hcl.variable.bootstrap_image[0].validation[0].condition).toContain('@sha256:');
  });

  it('renders CodeDeploy only for the codedeploy engine, with a custom config iff no predefined one fits', async () => {
    const r = await scenario(name);
    const codedeployTypes = Object.keys(r.hcl.resource).filter((t) => t.startsWith('aws_codedeploy_'));
    if (r.ctx.isEcs) {
      expect(codedeployTypes).toEqual([]);
      expect(r.files.has('codedeploy.tf')).toBe(false);
      expect(JSON.stringify(r.hcl)).not.toMatch(/CODE_DEPLOY|codedeploy/i);
      return;
    }
    const custom = r.hcl.resource.aws_codedeploy_deployment_config?.canary?.[0];
    expect(Boolean(custom)).toBe(r.ctx.codedeployCustomConfig);
    expect(r.ctx.codedeployCustomConfig).toBe(!(r.ctx.canaryPercent === 10 && [5, 15].includes(r.ctx.canaryMinutes)));
    if (custom) {
      expect(custom.compute_platform).toBe('ECS');
      expect(custom.traffic_routing_config[0].type).toBe('TimeBasedCanary');
      expect(r.hcl.locals.codedeploy_config_name).toContain('aws_codedeploy_deployment_config.canary');
      expect(r.tfvars.canary_percent).toBe(r.ctx.canaryPercent);
    } else {
      expect(r.hcl.locals.codedeploy_config_name).toBe(r.ctx.codedeployConfigName);
    }
    const group = res(r, 'aws_codedeploy_deployment_group', 'app');
    expect(group.auto_rollback_configuration[0].events).toEqual([
      'DEPLOYMENT_FAILURE',
      'DEPLOYMENT_STOP_ON_ALARM',
      'DEPLOYMENT_STOP_ON_REQUEST',
    ]);
    expect(group.alarm_configuration[0].alarms).toBe('${local.deployment_alarm_names[each.key]}');
    expect(
      group.blue_green_deployment_config[0].terminate_blue_instances_on_deployment_success[0]
        .termination_wait_time_in_minutes,
    ).toBe('${each.value.canary ? var.rollback_window_minutes : 0}');
    expect(group.deployment_config_name).toBe(
      '${each.value.canary ? local.codedeploy_config_name : "CodeDeployDefault.ECSAllAtOnce"}',
    );
    expect(group.load_balancer_info[0].target_group_pair_info[0].test_traffic_route).toHaveLength(1);
    expect(group.trigger_configuration[0].trigger_target_arn).toContain('aws_sns_topic.alerts');
    expect(res(r, 'aws_iam_role_policy_attachment', 'codedeploy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS',
    );
  });

  it('creates staging resources only through the environments list', async () => {
    const r = await scenario(name);
    // variables.tf names the allowed values; nothing else may mention staging, except how it deploys
    // (var.staging_strategy, read once into local.env).
    const code = JSON.stringify({ ...r.hcl, variable: undefined });
    expect(code.replace(/var\.staging_strategy/g, '').includes('staging')).toBe(false);
    expect(code.match(/var\.staging_strategy/g)).toHaveLength(1);
    expect(r.tfvars.environments.includes('staging')).toBe(r.ctx.staging);
    for (const type of ['aws_ecs_cluster', 'aws_ecs_service', 'aws_lb', 'aws_sns_topic', 'aws_iam_role']) {
      const perEnv = Object.values(r.hcl.resource[type] as Json).filter((b: Json) => b[0].for_each);
      expect(perEnv.length, type).toBeGreaterThan(0);
      for (const b of perEnv) expect(b[0].for_each).toMatch(/^\$\{local\.(env|target_groups)\}$/);
    }
  });

  it('outputs every GitHub variable the workflow reads', async () => {
    const r = await scenario(name);
    const used = [...new Set([...r.workflow.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
    expect(used.length).toBeGreaterThan(0);
    const outputs = r.hcl.output;
    const repoVars = Object.keys(outputs.github_repository_variables[0].value);
    const envVars = [
      ...(outputs.github_environment_variables[0].value as string).matchAll(/^\s*([A-Z0-9_]+)\s*=/gm),
    ].map((m) => m[1]!);
    for (const v of used) expect([...repoVars, ...envVars], v).toContain(v);
  });
});

describe('terraform/ through the validation harness', () => {
  const root = mkdtempSync(join(tmpdir(), 'ccp-terraform-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const cases: Array<[string, () => Promise<Rendered>]> = [
    ...Object.keys(SCENARIOS).map((name): [string, () => Promise<Rendered>] => [name, () => scenario(name)]),
    ['placeholders (--yes without account values)', () => renderTerraform({}, true)],
  ];
  it.each(cases)('%s: schema, references and terraform fmt are clean', async (name, get) => {
    const r = await get();
    const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
    for (const [file, text] of r.files) {
      mkdirSync(dirname(join(dir, 'terraform', file)), { recursive: true });
      writeFileSync(join(dir, 'terraform', file), text);
    }
    const findings = await validateTree(dir);
    expect(formatFindings(findings)).toBe(formatFindings([]));
  });
});
