/** The deployment part of the render context: the engine, the canary, the environments and their timings. */
import type { Options } from '../options/table.js';
import { deployTiming, type DeployStrategy, type DeployTiming } from './deploy-timing.js';

/** One deployment environment. */
export interface EnvironmentContext {
  /** `staging` or `production`. */
  readonly name: string;
  readonly isProduction: boolean;
  readonly desiredCount: number;
  /** Production always deploys with the canary; staging with --staging-strategy. */
  readonly strategy: DeployStrategy;
  readonly isCanary: boolean;
  /** Task definition family: `<service>-<environment>`. */
  readonly family: string;
  /** What its deployment is called in step names, e.g. `ECS canary deployment`. */
  readonly deploymentLabel: string;
  /** Waits and job timeout of this environment's deploy job. */
  readonly timing: DeployTiming;
}

/** The engine, the canary settings and the Slack notification, as templates read them. */
export interface EngineContext {
  readonly engine: 'ecs' | 'codedeploy';
  readonly isEcs: boolean;
  readonly isCodeDeploy: boolean;
  readonly canaryPercent: number;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
  /** CodeDeploy: predefined config name, or the name of the custom config codedeploy.tf creates. */
  readonly codedeployConfigName: string;
  /** CodeDeploy: true when percent/window match no predefined config and a custom one is rendered. */
  readonly codedeployCustomConfig: boolean;
  readonly slack: boolean;
  /** GitHub secret name holding the Slack webhook (empty when Slack is off). */
  readonly slackSecretName: string;
}

const PREDEFINED_CODEDEPLOY: Readonly<Record<string, string>> = {
  '10/5': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  '10/15': 'CodeDeployDefault.ECSCanary10Percent15Minutes',
};

export function engineContext(o: Options): EngineContext {
  const predefined =
    o.deploymentEngine === 'codedeploy' ? PREDEFINED_CODEDEPLOY[`${o.canaryPercent}/${o.canaryMinutes}`] : undefined;
  return {
    engine: o.deploymentEngine,
    isEcs: o.deploymentEngine === 'ecs',
    isCodeDeploy: o.deploymentEngine === 'codedeploy',
    canaryPercent: o.canaryPercent,
    canaryMinutes: o.canaryMinutes,
    rollbackWindowMinutes: o.rollbackWindowMinutes,
    codedeployConfigName: predefined ?? `${o.serviceName}-canary-${o.canaryPercent}pct-${o.canaryMinutes}min`,
    codedeployCustomConfig: o.deploymentEngine === 'codedeploy' && predefined === undefined,
    slack: o.slackWebhookSecret !== null,
    slackSecretName: o.slackWebhookSecret ?? '',
  };
}

/** Staging (when on) then production, each with its strategy and the timeouts derived from it. */
export function environmentContexts(o: Options, hasMigration: boolean): EnvironmentContext[] {
  const env = (name: string, isProduction: boolean, desiredCount: number): EnvironmentContext => {
    const strategy: DeployStrategy = isProduction ? 'canary' : o.stagingStrategy;
    const timing = deployTiming({
      strategy,
      canaryMinutes: o.canaryMinutes,
      rollbackWindowMinutes: o.rollbackWindowMinutes,
      hasMigration,
    });
    const isCanary = strategy === 'canary';
    const isEcs = o.deploymentEngine === 'ecs';
    const deploymentLabel = `${isEcs ? 'ECS' : 'CodeDeploy'} ${isCanary ? 'canary deployment' : isEcs ? 'rolling update' : 'all-at-once deployment'}`;
    return {
      name,
      isProduction,
      desiredCount,
      strategy,
      isCanary,
      family: `${o.serviceName}-${name}`,
      deploymentLabel,
      timing,
    };
  };
  return [...(o.staging ? [env('staging', false, 1)] : []), env('production', true, o.desiredCount)];
}
