/**
 * The parts of the RenderContext that make the automatic rollback hold (detection power, alarm gate,
 * smoke test, crash drill, rollback drill, alarm alerts to Slack), computed together because they share
 * the timeline: buildContext spreads them into the flat context.
 */
import type { Options } from '../options/table.js';
import type { ProjectFacts } from '../detect/facts.js';
import { TIMING_ASSUMPTIONS, deploymentTraffic, type Timeline } from '../model/timeline.js';
import { detectionReport, type DetectionReport } from './detection-report.js';
import { crashDrill, type CrashDrill } from './crash-model.js';
import { smokeTestContext, type SmokeTestContext } from './smoke-test.js';
import { DRILL_ASSUMPTIONS, drillContext, type DrillContext } from './drill.js';
import { DEPLOY_BUDGET } from './deploy-timing.js';

/** An environment as the rollback features see it. */
export interface RollbackEnvironment {
  readonly name: string;
  readonly desiredCount: number;
  /** Canary strategy: blue/green lifecycle, so the smoke-test hook runs; rolling has none. */
  readonly isCanary: boolean;
}

/** The rollback fields of the RenderContext. */
export interface RollbackContext {
  /** Production requests per minute the canary alarm is designed for (--expected-rpm). */
  readonly expectedRpm: number;
  /** The per-target-group rate alarm and its power, table and chart (detection-model.ts). */
  readonly detection: DetectionReport;
  /** The rollback drill workflow (ECS engine, staging): the chain it proves and its predicted time. */
  readonly drill: DrillContext;
  /** The drill's timing assumptions (stated in docs/DEPLOYMENT.md). */
  readonly drillAssumptions: typeof DRILL_ASSUMPTIONS;
  /** The smoke-test Lambda (terraform/smoke-test.tf) and its hook. */
  readonly smokeTest: SmokeTestContext;
  /** The pre-deploy alarm gate: bounded wait and poll interval. */
  readonly alarmGate: { readonly waitSeconds: number; readonly pollSeconds: number };
  /** Circuit-breaker rollback of a release that crashes at start-up, per environment (ECS engine). */
  readonly crashDrills: readonly CrashDrill[];
  /** Amazon Q Developer (chatbot) Slack channel for the alarm topic, when both ids are given. */
  readonly alertsSlack: { readonly teamId: string; readonly channelId: string } | null;
}

/** Rollback fields for these options, environments and timeline. */
export function rollbackContext(
  o: Options,
  facts: ProjectFacts,
  envs: readonly RollbackEnvironment[],
  timeline: Timeline,
): RollbackContext {
  const smokeTest = smokeTestContext(
    o.deploymentEngine,
    facts.mode === 'adopt' ? 'adopt' : 'new',
    o.serviceName,
    envs.map((e) => e.name),
  );
  const staging = envs.find((e) => e.name === 'staging');
  const crashDrills = envs.map((e) => crashDrill(e.name, e.desiredCount));
  const stagingCrash = crashDrills.find((c) => c.environment === 'staging');
  return {
    expectedRpm: o.expectedRpm,
    detection: detectionReport(
      deploymentTraffic(o.canaryPercent, o.canaryMinutes, o.rollbackWindowMinutes, o.expectedRpm),
      timeline.detection,
    ),
    drill: drillContext(
      o.deploymentEngine === 'ecs',
      staging && stagingCrash && { isCanary: staging.isCanary, crash: stagingCrash },
      smokeTest,
    ),
    drillAssumptions: DRILL_ASSUMPTIONS,
    smokeTest,
    alarmGate: {
      // Long enough for a window that stopped breaching to clear (K minutes + latency), bounded.
      waitSeconds:
        60 *
        Math.min(
          DEPLOY_BUDGET.alarmGateMinutes,
          timeline.detection.design.windowMinutes + TIMING_ASSUMPTIONS.latencyMax + 1,
        ),
      pollSeconds: DEPLOY_BUDGET.alarmGatePollSeconds,
    },
    crashDrills,
    alertsSlack:
      o.alertsSlackTeamId && o.alertsSlackChannelId
        ? { teamId: o.alertsSlackTeamId, channelId: o.alertsSlackChannelId }
        : null,
  };
}
