/**
 * docs/DEPLOYMENT.md covers what the generator deliberately leaves to the user (domain audit 7, 9 and the
 * cloudwatch.tf caveat of checklist b): how the alerts topic reaches Slack, how to add the pre-traffic
 * smoke-test hook of the chosen engine, and that an alarm already in ALARM does not guard a deployment.
 */
import { describe, expect, it } from 'vitest';
import { resolveOptions, type RawValues } from '../src/options/resolve.js';
import { buildContext } from '../src/context/build-context.js';
import { newRepoFacts } from '../src/detect/facts.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { planFiles } from '../src/plan/plan-files.js';
import { isRendered } from '../src/plan/file-spec.js';
import { renderFile } from '../src/plan/render.js';

function deploymentDoc(flags: RawValues): string {
  const facts = newRepoFacts('api');
  const { options } = resolveOptions({ flags: { ...EXAMPLE_FLAGS, ...flags }, facts, mode: 'strict' });
  const ctx = buildContext(options, facts);
  return renderFile(
    planFiles(ctx, facts)
      .filter(isRendered)
      .find((s) => s.path === 'docs/DEPLOYMENT.md')!,
    ctx,
  );
}

/** The text of the `## title` section, up to the next `## ` heading. */
function section(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

const ENGINES: Record<string, RawValues> = {
  ecs: {},
  'ecs, Slack off': { slackWebhookSecret: null },
  codedeploy: { deploymentEngine: 'codedeploy', canaryPercent: '10', canaryMinutes: '5', expectedRpm: '2000' },
};

describe.each(Object.keys(ENGINES))('docs/DEPLOYMENT.md (%s)', (name) => {
  const doc = deploymentDoc(ENGINES[name]!);
  const isEcs = !name.startsWith('codedeploy');

  it('says how the alerts topic reaches Slack (Amazon Q Developer / Chatbot) and e-mail', () => {
    const alerts = section(doc, 'Alerts: the SNS topic and Slack');
    expect(alerts).toContain('alerts_topic_arns');
    expect(alerts).toContain('Amazon Q Developer in chat applications');
    expect(alerts).toContain('aws_chatbot_slack_channel_configuration');
    expect(alerts).toContain('sns_topic_arns');
    expect(alerts).toContain('aws sns subscribe');
    expect(alerts).toContain(isEcs ? 'EventBridge rule `deployment_events`' : 'trigger `deployment-events`');
  });

  it('says how to add the smoke-test hook of its engine before customer traffic', () => {
    const smoke = section(doc, 'Smoke tests before customer traffic');
    if (isEcs) {
      expect(smoke).toContain('POST_TEST_TRAFFIC_SHIFT');
      expect(smoke).toContain('lifecycle_hook');
      expect(smoke).toContain('X-Deploy-Test: 1');
      expect(smoke).not.toContain('AfterAllowTestTraffic');
    } else {
      expect(smoke).toContain('`AfterAllowTestTraffic`');
      expect(smoke).toContain('`CodeDeployHook_…`');
      expect(smoke).toContain('PutLifecycleEventHookExecutionStatus');
      expect(smoke).toContain('port 8443');
      expect(smoke).not.toContain('POST_TEST_TRAFFIC_SHIFT');
    }
  });

  it('warns that an alarm already in ALARM at deployment start does not guard that deployment', () => {
    const canary = section(doc, 'The canary: timeline, detection and blast radius');
    const flat = canary.replace(/\s+/g, ' ');
    expect(flat).toContain('An alarm already in ALARM when a deployment starts');
    if (isEcs) expect(flat).toContain('not watched by ECS for that deployment');
    // … and the generated alarm gate is what handles it.
    expect(flat).toContain('each deploy job starts with an alarm gate');
    expect(flat).toContain('skip-alarm-gate');
  });
});
