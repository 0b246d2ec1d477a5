/**
 * Domain audit defect 7: alarm actions AND deployment-state events must reach the alerts topic (which
 * docs/DEPLOYMENT.md routes to Slack). CodeDeploy has trigger_configuration (pinned in terraform.test.ts);
 * the ECS engine needs an EventBridge rule for "ECS Deployment State Change" and a topic policy that lets
 * EventBridge publish without dropping the owner-account statement the alarms rely on.
 */
import { describe, expect, it } from 'vitest';
import { renderTerraform, TERRAFORM_SCENARIOS, type Json, type RenderedTerraform } from './support/render-terraform.js';

const one = (r: RenderedTerraform, kind: 'resource' | 'data', type: string, name: string): Json | undefined =>
  r.hcl[kind]?.[type]?.[name]?.[0];

describe.each(Object.keys(TERRAFORM_SCENARIOS))('deployment events for %s', (name) => {
  it("sends ECS deployment state changes of each environment's service to its alerts topic", async () => {
    const r = await renderTerraform(TERRAFORM_SCENARIOS[name]!);
    const rule = one(r, 'resource', 'aws_cloudwatch_event_rule', 'deployment_events');
    if (r.ctx.isCodeDeploy) {
      // CodeDeploy reports through the deployment group's trigger; no second path.
      expect(rule).toBeUndefined();
      expect(one(r, 'resource', 'aws_sns_topic_policy', 'alerts')).toBeUndefined();
      return;
    }
    expect(rule).toBeDefined();
    expect(rule!.for_each).toBe('${local.env}');
    const pattern: string = rule!.event_pattern;
    expect(pattern).toContain('source        = ["aws.ecs"]');
    expect(pattern).toContain('"detail-type" = ["ECS Deployment State Change"]');
    expect(pattern).toContain('resources     = [aws_ecs_service.app[each.key].arn]');

    const target = one(r, 'resource', 'aws_cloudwatch_event_target', 'deployment_events')!;
    expect(target.rule).toBe('${aws_cloudwatch_event_rule.deployment_events[each.key].name}');
    expect(target.arn).toBe('${aws_sns_topic.alerts[each.key].arn}');

    const policy = one(r, 'resource', 'aws_sns_topic_policy', 'alerts')!;
    expect(policy.arn).toBe('${aws_sns_topic.alerts[each.key].arn}');
    expect(policy.policy).toBe('${data.aws_iam_policy_document.alerts_topic[each.key].json}');
    const doc = one(r, 'data', 'aws_iam_policy_document', 'alerts_topic')!;
    const bySid = new Map<string, Json>(doc.statement.map((s: Json) => [s.sid, s]));
    const events = bySid.get('DeploymentEvents')!;
    expect(events.principals[0]).toMatchObject({ type: 'Service', identifiers: ['events.amazonaws.com'] });
    expect(events.actions).toEqual(['sns:Publish']);
    expect(events.condition[0]).toMatchObject({ test: 'ArnEquals', variable: 'aws:SourceArn' });
    expect(events.condition[0].values[0]).toContain('aws_cloudwatch_event_rule.deployment_events[each.key].arn');
    // Replacing the default topic policy must keep the owner account's publish right (alarm actions).
    const owner = bySid.get('OwnerAccount')!;
    expect(owner.actions).toContain('SNS:Publish');
    expect(owner.condition[0]).toMatchObject({ test: 'StringEquals', variable: 'AWS:SourceOwner' });
  });
});
