/**
 * planFiles: the explicit manifest of what the generator writes, as a plain list with conditions, in
 * the order docs/DEPLOYMENT.md lists them. Templates live at templates/<feature>/<output path>.ejs. A
 * file's `description` is its row in the docs' table of generated files (file-table.ts).
 */
import type { RenderContext } from '../context/build-context.js';
import type { ProjectFacts } from '../detect/facts.js';
import type { FileSpec, RenderedSpec } from './file-spec.js';
import { adoptFiles, migrateLocals } from './adopt-files.js';
import { withFileTable } from './file-table.js';

const MINE = 'Yours: never regenerated.';

function spec(
  path: string,
  kind: RenderedSpec['kind'],
  template: string,
  description?: string,
  locals?: Record<string, unknown>,
): RenderedSpec {
  return { path, kind, template, ...(locals ? { locals } : {}), ...(description === undefined ? {} : { description }) };
}

const tf = (file: string, description?: string): RenderedSpec =>
  spec(`terraform/${file}`, 'managed', `terraform/terraform/${file}.ejs`, description);

function workflowFiles(ctx: RenderContext): FileSpec[] {
  const jobs = `\`test\` → \`build\` → ${ctx.environmentNames.map((n) => `\`deploy-${n}\``).join(' → ')}${ctx.slack ? ' → `notify`' : ''}`;
  return [
    spec(
      '.github/workflows/deploy.yml',
      'managed',
      'workflow/.github/workflows/deploy.yml.ejs',
      `The pipeline: ${jobs}.`,
    ),
    ...(ctx.drill.enabled
      ? [
          spec(
            '.github/workflows/rollback-drill.yml',
            'managed',
            'workflow/.github/workflows/rollback-drill.yml.ejs',
            'A manual rollback drill in staging: deploys a deliberately failing revision and expects the rollback.',
          ),
        ]
      : []),
    spec(
      '.github/dependabot.yml',
      'seed',
      'workflow/.github/dependabot.yml.ejs',
      'Weekly update pull requests for the actions, npm packages, base image and Terraform provider, ' +
        `grouped, each release ${ctx.local.dependabotCooldownDays} days old at least. ${MINE}`,
    ),
    spec(
      '.github/workflows/terraform.yml',
      'managed',
      'workflow/.github/workflows/terraform.yml.ejs',
      'Pull requests that change `terraform/`: fmt, validate, and a plan with a read-only role ([below](#terraform-plans-on-pull-requests)).',
    ),
    ...ctx.environments.map((env) =>
      spec(
        `.aws/taskdef.${env.name}.json`,
        'managed',
        'taskdef/.aws/taskdef.json.ejs',
        `The ${env.name} task definition. CI registers a new revision from it on every deployment, with the new image.`,
        { env },
      ),
    ),
    ...(ctx.isCodeDeploy
      ? ctx.environments.map((env) =>
          spec(
            `.aws/appspec.${env.name}.yaml`,
            'managed',
            'taskdef/.aws/appspec.yaml.ejs',
            `The ${env.name} CodeDeploy AppSpec: the deploy step fills in the new task-definition revision; the smoke test runs at \`AfterAllowTestTraffic\`.`,
            { env },
          ),
        )
      : []),
  ];
}

function terraformFiles(ctx: RenderContext): FileSpec[] {
  const smokeTest =
    'The smoke-test Lambda function per environment (role, log group, security group) and its hook wiring.';
  return [
    tf('versions.tf', 'Terraform and AWS provider versions; S3 state backend with native locking.'),
    tf('variables.tf', "Every input, validated like the generator's options."),
    tf('terraform.tfvars', 'Your answers.'),
    tf(
      'main.tf',
      `ECS cluster, log group, bootstrap task definition and service${ctx.isEcs ? ' with the canary, its rollback alarms and the rollback window' : ''}, per environment.`,
    ),
    tf(
      'alb.tf',
      `Load balancer (HTTP → HTTPS, TLS 1.3 policy), blue and green target groups, ${ctx.isEcs ? 'production and test listener rules' : 'production and test listeners'}.`,
    ),
    ...(ctx.isCodeDeploy
      ? [
          tf(
            'codedeploy.tf',
            'CodeDeploy application, deployment group with automatic rollback on failure and alarm' +
              `${ctx.codedeployCustomConfig ? ', and the custom canary configuration' : ''}.`,
          ),
        ]
      : []),
    tf('smoke-test.tf', smokeTest),
    tf('lambda/smoke-test/index.mjs', smokeTest),
    tf(
      'cloudwatch.tf',
      'The alarms that judge a deployment, an SNS topic for them and the deployment events, a deployment dashboard.',
    ),
    tf(
      'iam.tf',
      `GitHub OIDC provider, build role (\`main\` only), one deploy role per environment, task roles, ${ctx.isEcs ? 'the ECS infrastructure role' : 'the CodeDeploy role'}.`,
    ),
    tf('ecr.tf', 'Image repository: immutable tags, scan on push, lifecycle policy.'),
    tf('network.tf', 'Security groups: internet → load balancer → tasks only.'),
    tf(
      'secrets.tf',
      ctx.secrets.length > 0
        ? `Secrets Manager secrets for ${ctx.secretNamesText} (values are set by you, never in the state).`
        : 'No secrets (no database or cache); notes on adding one.',
    ),
    tf('outputs.tf', 'Everything the workflow needs, fed into GitHub variables below.'),
    ...(ctx.alertsSlack
      ? [
          tf(
            'chatbot.tf',
            'Alarm state changes and deployment events in the Slack channel, through Amazon Q Developer in chat applications.',
          ),
        ]
      : []),
  ];
}

function pipelineFiles(ctx: RenderContext): FileSpec[] {
  return [
    ...workflowFiles(ctx),
    ...terraformFiles(ctx),
    spec(
      'Dockerfile',
      'managed',
      'docker/Dockerfile.ejs',
      `Multi-stage image on \`${ctx.nodeImage}\`: production dependencies only, non-root user, exec-form start command.`,
    ),
    spec(
      '.dockerignore',
      'managed',
      'docker/_dockerignore.ejs',
      'Keeps `.git`, `.env*`, keys, `node_modules` and Terraform out of the image.',
    ),
    spec('docs/DEPLOYMENT.md', 'managed', 'docs/docs/DEPLOYMENT.md.ejs', 'This file.'),
  ];
}

/** Files of the minimal Express service generated into a new repo. */
function newAppFiles(ctx: RenderContext): FileSpec[] {
  const x = ctx.ext;
  const t = (out: string): string => `app-${x}/${out}.ejs`;
  const manifest = `The service's manifest${ctx.isTs ? ', compiler settings' : ''} and Node version (${ctx.nodeVersion}) for CI and local work.`;
  const app = 'The Express app; the server drains on SIGTERM and keeps connections open longer than the load balancer.';
  const health =
    '`/livez` (shallow: load balancer and container health check) and `/readyz` (dependencies, bounded by timeouts), with a test.';
  const migrations =
    'The migration runner the pipeline starts before any traffic moves, and an example expand-only migration.';
  return [
    spec('package.json', 'seed', t('package.json'), manifest),
    ...(ctx.isTs ? [spec('tsconfig.json', 'seed', t('tsconfig.json'), manifest)] : []),
    spec('.nvmrc', 'managed', 'app-common/_nvmrc.ejs', manifest),
    // Before the first commit, so git status shows the service and not node_modules or Terraform state.
    spec(
      '.gitignore',
      'seed',
      'app-common/_gitignore.ejs',
      `Keeps \`node_modules\`, build output, \`.env*\` files and local Terraform state and plans out of git. ${MINE}`,
    ),
    // Yarn Berry would install Plug'n'Play; the image and the workflow expect node_modules.
    ...(ctx.app.packageManager === 'yarn' && !ctx.app.yarnClassic
      ? [
          spec(
            '.yarnrc.yml',
            'seed',
            'app-common/_yarnrc.yml.ejs',
            `\`nodeLinker: node-modules\`: the image and the workflow need \`node_modules\`, not Plug'n'Play. ${MINE}`,
          ),
        ]
      : []),
    spec(`src/app.${x}`, 'seed', t(`src/app.${x}`), app),
    spec(`src/server.${x}`, 'managed', t(`src/server.${x}`), app),
    // One health/drain module for new and adopted services (app-common/), ES module here.
    spec(`src/health.${x}`, 'managed', `app-common/src/health.${x}.ejs`, health, { health: { esm: true, todos: [] } }),
    // The container health check and the migration runner are shared with adopt mode (app-common/).
    spec(`src/healthcheck.${x}`, 'managed', `app-common/src/healthcheck.${x}.ejs`, health),
    spec(`src/health.test.${x}`, 'seed', t(`src/health.test.${x}`), health),
    ...(ctx.hasDatabase
      ? [
          spec(
            `src/migrate.${x}`,
            'managed',
            `app-common/src/migrate.${x}.ejs`,
            migrations,
            migrateLocals(true, ctx.app.outDir),
          ),
          spec(
            'migrations/001_example_expand.sql',
            'seed',
            'app-common/migrations/001_example_expand.sql.ejs',
            migrations,
          ),
        ]
      : []),
  ];
}

/** The new service as a product: migration lint config, start-up env check, its README, local settings and services. */
function localDevFiles(ctx: RenderContext): FileSpec[] {
  const { local } = ctx;
  const settings = `Local settings for \`${local.commands.dev}\`${local.hasCompose ? ` and the local ${local.readme.services} they point at` : ''}.`;
  return [
    ...(local.migrationLint.enabled
      ? [
          spec(
            '.squawk.toml',
            'seed',
            'local/_squawk.toml.ejs',
            `Settings of the migration linter the test job runs on new and changed migrations. ${MINE}`,
          ),
        ]
      : []),
    ...(local.requiredEnv.length > 0
      ? [
          spec(
            `src/env.${ctx.ext}`,
            'managed',
            `app-common/src/env.${ctx.ext}.ejs`,
            `Stops the service at start-up when ${local.readme.requiredEnv} is missing, naming every missing one at once.`,
          ),
        ]
      : []),
    spec('README.md', 'seed', 'local/README.md.ejs', `How to run, test and deploy the service. ${MINE}`),
    spec('.env.example', 'managed', 'local/_env.example.ejs', settings),
    ...(local.hasCompose ? [spec('compose.yaml', 'managed', 'local/compose.yaml.ejs', settings)] : []),
  ];
}

/** The complete plan for a context and the detected project. */
export function planFiles(ctx: RenderContext, facts: ProjectFacts): FileSpec[] {
  return withFileTable([
    ...pipelineFiles(ctx),
    ...(facts.mode === 'new' ? [...newAppFiles(ctx), ...localDevFiles(ctx)] : adoptFiles(ctx, facts)),
  ]);
}
