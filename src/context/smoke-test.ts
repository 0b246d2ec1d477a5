/**
 * The smoke-test Lambda's settings (terraform/smoke-test.tf) and how long its hook can take, which the
 * rollback drill predicts from. Declared once here; the templates only print them.
 */

/** Per-request timeout of the smoke test (ms): a healthy /readyz answers within its 1 s probe bound. */
export const SMOKE_REQUEST_TIMEOUT_MS = 5000;
/** The paths it calls: /readyz and one configurable route. */
export const SMOKE_PATH_COUNT = 2;
/** Lambda runtime: the Node.js line every commercial region offers for Lambda. */
export const SMOKE_LAMBDA_RUNTIME = 'nodejs22.x';
/** Cold start of a VPC function plus the runtime's own start, bounded (assumption). */
const COLD_START_SECONDS = 10;

/** Everything the templates need about the smoke test. */
export interface SmokeTestContext {
  /** CodeDeploy: AWSCodeDeployRoleForECS may invoke only CodeDeployHook_* functions. */
  readonly functionPrefix: string;
  /** Port of the test route (ECS: the HTTPS listener) or the test listener (CodeDeploy). */
  readonly port: number;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly requestTimeoutMs: number;
  readonly paths: number;
  /** Default of var.smoke_test_path: "/" of the generated app, "/livez" in an adopted service (set a real route). */
  readonly defaultPath: string;
  /** Function name per environment, as smoke-test.tf computes it (the appspec names it). */
  readonly functionNames: Readonly<Record<string, string>>;
}

/** Smoke-test settings for the engine, app mode and environments. */
export function smokeTestContext(
  engine: 'ecs' | 'codedeploy',
  mode: 'new' | 'adopt',
  serviceName: string,
  environments: readonly string[],
): SmokeTestContext {
  const functionPrefix = engine === 'codedeploy' ? 'CodeDeployHook_' : '';
  return {
    functionPrefix,
    port: engine === 'ecs' ? 443 : 8443,
    runtime: SMOKE_LAMBDA_RUNTIME,
    timeoutSeconds: Math.ceil((SMOKE_PATH_COUNT * SMOKE_REQUEST_TIMEOUT_MS) / 1000) + COLD_START_SECONDS + 10,
    requestTimeoutMs: SMOKE_REQUEST_TIMEOUT_MS,
    paths: SMOKE_PATH_COUNT,
    defaultPath: mode === 'new' ? '/' : '/livez',
    functionNames: Object.fromEntries(
      environments.map((e) => [e, `${functionPrefix}${serviceName}-${e.slice(0, 4)}-smoke`]),
    ),
  };
}
