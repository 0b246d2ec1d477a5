/**
 * Approximate monthly AWS cost of the generated stack, for docs/DEPLOYMENT.md. Pure arithmetic over
 * stated unit prices and stated assumptions: nothing here is measured or fetched.
 */

/** Region and date the unit prices below were taken for. */
export const PRICE_REGION = 'eu-west-1';
export const PRICES_AS_OF = '2026-11';

/** AWS on-demand list prices in USD for PRICE_REGION, excluding tax and free tiers. */
export const UNIT_PRICES = {
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  albHour: 0.0252,
  albLcuHour: 0.008,
  publicIpv4Hour: 0.005,
  /** Standard-resolution alarm, per metric the alarm evaluates (metric math counts each metric). */
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  /** Container Insights metrics are billed as custom metrics. */
  customMetricMonth: 0.3,
  logsIngestedGb: 0.57,
  secretMonth: 0.4,
  ecrStorageGbMonth: 0.1,
  natGatewayHour: 0.048,
  natGatewayProcessedGb: 0.048,
  interfaceEndpointAzHour: 0.011,
} as const;

/**
 * What the estimate assumes about the generated Terraform (one ALB, one dashboard and these alarms
 * per environment) and about usage nobody can know in advance.
 */
export const COST_ASSUMPTIONS = {
  hoursPerMonth: 730,
  /** Average load-balancer capacity units; 1 LCU = 25 new connections/s or 1 GB/h processed, etc. */
  lcuPerLoadBalancer: 1,
  /** An internet-facing ALB holds one public IPv4 address per Availability Zone (2 subnets). */
  publicIpsPerLoadBalancer: 2,
  /** 2 per-target-group 5xx-rate alarms × 2 metrics + 2 unhealthy-host alarms + 1 ELB-5xx rate × 2 metrics. */
  alarmMetricsPerEnvironment: 8,
  dashboardsPerEnvironment: 1,
  /** Cluster-, service- and task-level Container Insights metrics of one service. */
  containerInsightsMetricsPerEnvironment: 20,
  logGbPerTaskMonth: 0.5,
  imageStorageGb: 2,
  deploymentsPerMonth: 20,
  /** Minutes the new tasks run before traffic moves (start, image pull, health checks). */
  provisionMinutes: 5,
  /** Interface endpoints tasks in private subnets need without a NAT gateway. */
  interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'],
  availabilityZones: 2,
} as const;

/** What the estimate depends on (all from the user's options). */
export interface CostInput {
  readonly cpu: number;
  readonly memory: number;
  /** `isCanary: false` (a rolling update) keeps the old tasks only while the new ones start, not for W + B. */
  readonly environments: ReadonlyArray<{
    readonly name: string;
    readonly desiredCount: number;
    readonly isCanary?: boolean;
  }>;
  readonly secretsPerEnvironment: number;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
}

/** One line of the estimate: what is billed, how it is computed, and its monthly USD amount. */
export interface CostLine {
  readonly item: string;
  readonly basis: string;
  /** Monthly amount in USD, rounded to cents. */
  readonly monthlyUsd: number;
}

/** The estimate: billed lines with their total, and costs the stack may incur but does not create. */
export interface CostEstimate {
  readonly region: string;
  readonly asOf: string;
  readonly lines: readonly CostLine[];
  /** Sum of the rounded lines, so the table adds up. */
  readonly totalUsd: number;
  readonly notIncluded: readonly CostLine[];
}

const cents = (n: number): number => Math.round(n * 100) / 100;
const H = COST_ASSUMPTIONS.hoursPerMonth;
const P = UNIT_PRICES;
const A = COST_ASSUMPTIONS;

/** USD per hour of one task of this size. */
function taskHour(cpu: number, memory: number): number {
  return (cpu / 1024) * P.fargateVcpuHour + (memory / 1024) * P.fargateGbHour;
}

function fargateLines(input: CostInput): CostLine[] {
  const size = `${input.cpu / 1024} vCPU + ${input.memory / 1024} GB`;
  const perTask = taskHour(input.cpu, input.memory);
  const lines = input.environments.map((e) => ({
    item: `Fargate tasks, ${e.name}`,
    basis: `${e.desiredCount} × (${size}) × ${H} h`,
    monthlyUsd: cents(e.desiredCount * perTask * H),
  }));
  // Task-minutes both sets run per deployment: canary environments for provisioning + W + B, rolling ones while the new tasks start.
  const canary = `(${A.provisionMinutes} + ${input.canaryMinutes} + ${input.rollbackWindowMinutes}) min`;
  const groups = [true, false]
    .map((isCanary) => ({
      minutes: isCanary ? A.provisionMinutes + input.canaryMinutes + input.rollbackWindowMinutes : A.provisionMinutes,
      tasks: input.environments
        .filter((e) => (e.isCanary ?? true) === isCanary)
        .reduce((n, e) => n + e.desiredCount, 0),
      label: isCanary ? canary : `${A.provisionMinutes} min (rolling)`,
    }))
    .filter((g) => g.tasks > 0);
  const taskMinutes = groups.reduce((n, g) => n + g.minutes * g.tasks, 0);
  lines.push({
    item: 'Fargate, second set of tasks during deployments',
    basis: `${A.deploymentsPerMonth} deployments × ${groups.map((g) => `${g.label} × ${g.tasks} tasks`).join(' + ')}`,
    monthlyUsd: cents(((A.deploymentsPerMonth * taskMinutes) / 60) * perTask),
  });
  return lines;
}

function networkAndMonitoringLines(envs: number, tasks: number): CostLine[] {
  return [
    {
      item: 'Application Load Balancers',
      basis: `${envs} × (${P.albHour} + ${A.lcuPerLoadBalancer} LCU × ${P.albLcuHour}) USD/h × ${H} h`,
      monthlyUsd: cents(envs * (P.albHour + A.lcuPerLoadBalancer * P.albLcuHour) * H),
    },
    {
      item: 'Public IPv4 addresses of the load balancers',
      basis: `${envs * A.publicIpsPerLoadBalancer} × ${P.publicIpv4Hour} USD/h × ${H} h`,
      monthlyUsd: cents(envs * A.publicIpsPerLoadBalancer * P.publicIpv4Hour * H),
    },
    {
      item: 'CloudWatch alarms',
      basis: `${envs * A.alarmMetricsPerEnvironment} alarm metrics × ${P.alarmMetricMonth} USD`,
      monthlyUsd: cents(envs * A.alarmMetricsPerEnvironment * P.alarmMetricMonth),
    },
    {
      item: 'CloudWatch dashboards',
      basis: `${envs * A.dashboardsPerEnvironment} × ${P.dashboardMonth} USD`,
      monthlyUsd: cents(envs * A.dashboardsPerEnvironment * P.dashboardMonth),
    },
    {
      item: 'Container Insights',
      basis: `${envs * A.containerInsightsMetricsPerEnvironment} metrics × ${P.customMetricMonth} USD`,
      monthlyUsd: cents(envs * A.containerInsightsMetricsPerEnvironment * P.customMetricMonth),
    },
    {
      item: 'CloudWatch Logs ingestion',
      basis: `${tasks} tasks × ${A.logGbPerTaskMonth} GB × ${P.logsIngestedGb} USD/GB`,
      monthlyUsd: cents(tasks * A.logGbPerTaskMonth * P.logsIngestedGb),
    },
  ];
}

function storageLines(envs: number, secretsPerEnvironment: number): CostLine[] {
  const lines: CostLine[] = [];
  if (secretsPerEnvironment > 0) {
    lines.push({
      item: 'Secrets Manager secrets',
      basis: `${envs * secretsPerEnvironment} secrets × ${P.secretMonth} USD`,
      monthlyUsd: cents(envs * secretsPerEnvironment * P.secretMonth),
    });
  }
  lines.push({
    item: 'ECR image storage',
    basis: `${A.imageStorageGb} GB × ${P.ecrStorageGbMonth} USD`,
    monthlyUsd: cents(A.imageStorageGb * P.ecrStorageGbMonth),
  });
  return lines;
}

/** Egress for tasks in private subnets: one of these is needed, neither is created by the stack. */
function egressOptions(): CostLine[] {
  const endpoints = A.interfaceEndpoints.length;
  return [
    {
      item: 'NAT gateway (if your private subnets use one)',
      basis: `${P.natGatewayHour} USD/h × ${H} h per gateway, plus ${P.natGatewayProcessedGb} USD per GB processed`,
      monthlyUsd: cents(P.natGatewayHour * H),
    },
    {
      item: `VPC interface endpoints instead (${A.interfaceEndpoints.join(', ')})`,
      basis: `${endpoints} × ${A.availabilityZones} AZs × ${P.interfaceEndpointAzHour} USD/h × ${H} h, plus a free S3 gateway endpoint`,
      monthlyUsd: cents(endpoints * A.availabilityZones * P.interfaceEndpointAzHour * H),
    },
  ];
}

/** Estimate the monthly cost of the stack for the given options. Pure. */
export function estimateMonthlyCost(input: CostInput): CostEstimate {
  const envs = input.environments.length;
  const tasks = input.environments.reduce((n, e) => n + e.desiredCount, 0);
  const lines = [
    ...fargateLines(input),
    ...networkAndMonitoringLines(envs, tasks),
    ...storageLines(envs, input.secretsPerEnvironment),
  ];
  return {
    region: PRICE_REGION,
    asOf: PRICES_AS_OF,
    lines,
    totalUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    notIncluded: egressOptions(),
  };
}
