/**
 * planFiles: the explicit manifest of what the generator writes, as a plain list with conditions.
 * Templates live at templates/<feature>/<output path>.ejs.
 */
import type { RenderContext } from '../context/build-context.js';
import type { ProjectFacts } from '../detect/facts.js';
import type { FileSpec, RenderedSpec } from './file-spec.js';
import { adoptFiles, migrateLocals } from './adopt-files.js';

const TERRAFORM_FILES = [
  'versions.tf', 'variables.tf', 'terraform.tfvars', 'main.tf', 'alb.tf', 'cloudwatch.tf',
  'iam.tf', 'ecr.tf', 'network.tf', 'secrets.tf', 'outputs.tf', 'smoke-test.tf',
] as const;

function spec(path: string, kind: RenderedSpec['kind'], template: string, locals?: Record<string, unknown>): RenderedSpec {
  return locals ? { path, kind, template, locals } : { path, kind, template };
}

function pipelineFiles(ctx: RenderContext): FileSpec[] {
  return [
    spec('.github/workflows/deploy.yml', 'managed', 'workflow/.github/workflows/deploy.yml.ejs'),
    spec('.github/dependabot.yml', 'seed', 'workflow/.github/dependabot.yml.ejs'),
    spec('.github/workflows/terraform.yml', 'managed', 'workflow/.github/workflows/terraform.yml.ejs'),
    ...(ctx.drill.enabled ? [spec('.github/workflows/rollback-drill.yml', 'managed', 'workflow/.github/workflows/rollback-drill.yml.ejs')] : []),
    ...ctx.environments.map((env) => spec(`.aws/taskdef.${env.name}.json`, 'managed', 'taskdef/.aws/taskdef.json.ejs', { env })),
    ...(ctx.isCodeDeploy ? ctx.environments.map((env) => spec(`.aws/appspec.${env.name}.yaml`, 'managed', 'taskdef/.aws/appspec.yaml.ejs', { env })) : []),
    ...TERRAFORM_FILES.map((f) => spec(`terraform/${f}`, 'managed', `terraform/terraform/${f}.ejs`)),
    ...(ctx.isCodeDeploy ? [spec('terraform/codedeploy.tf', 'managed', 'terraform/terraform/codedeploy.tf.ejs')] : []),
    ...(ctx.alertsSlack ? [spec('terraform/chatbot.tf', 'managed', 'terraform/terraform/chatbot.tf.ejs')] : []),
    spec('terraform/lambda/smoke-test/index.mjs', 'managed', 'terraform/terraform/lambda/smoke-test/index.mjs.ejs'),
    spec('Dockerfile', 'managed', 'docker/Dockerfile.ejs'),
    spec('.dockerignore', 'managed', 'docker/_dockerignore.ejs'),
    spec('docs/DEPLOYMENT.md', 'managed', 'docs/docs/DEPLOYMENT.md.ejs'),
  ];
}

/** Files of the minimal Express service generated into a new repo. */
function newAppFiles(ctx: RenderContext): FileSpec[] {
  const x = ctx.ext;
  const t = (out: string): string => `app-${x}/${out}.ejs`;
  return [
    spec('package.json', 'seed', t('package.json')),
    ...(ctx.isTs ? [spec('tsconfig.json', 'seed', t('tsconfig.json'))] : []),
    spec('.nvmrc', 'managed', 'app-common/_nvmrc.ejs'),
    // Before the first commit, so git status shows the service and not node_modules or Terraform state.
    spec('.gitignore', 'seed', 'app-common/_gitignore.ejs'),
    // Yarn Berry would install Plug'n'Play; the image and the workflow expect node_modules.
    ...(ctx.app.packageManager === 'yarn' && !ctx.app.yarnClassic ? [spec('.yarnrc.yml', 'seed', 'app-common/_yarnrc.yml.ejs')] : []),
    spec(`src/app.${x}`, 'seed', t(`src/app.${x}`)),
    spec(`src/server.${x}`, 'managed', t(`src/server.${x}`)),
    // One health/drain module for new and adopted services (app-common/), ES module here.
    spec(`src/health.${x}`, 'managed', `app-common/src/health.${x}.ejs`, { health: { esm: true, todos: [] } }),
    // The container health check and the migration runner are shared with adopt mode (app-common/).
    spec(`src/healthcheck.${x}`, 'managed', `app-common/src/healthcheck.${x}.ejs`),
    spec(`src/health.test.${x}`, 'seed', t(`src/health.test.${x}`)),
    ...(ctx.hasDatabase
      ? [
          spec(`src/migrate.${x}`, 'managed', `app-common/src/migrate.${x}.ejs`, migrateLocals(true, ctx.app.outDir)),
          spec('migrations/001_example_expand.sql', 'seed', 'app-common/migrations/001_example_expand.sql.ejs'),
        ]
      : []),
  ];
}

/** The new service as a product: its README, local services and settings, start-up env check, migration lint config. */
function localDevFiles(ctx: RenderContext): FileSpec[] {
  const { local } = ctx;
  return [
    spec('README.md', 'seed', 'local/README.md.ejs'),
    spec('.env.example', 'managed', 'local/_env.example.ejs'),
    ...(local.hasCompose ? [spec('compose.yaml', 'managed', 'local/compose.yaml.ejs')] : []),
    ...(local.requiredEnv.length > 0 ? [spec(`src/env.${ctx.ext}`, 'managed', `app-common/src/env.${ctx.ext}.ejs`)] : []),
    ...(local.migrationLint.enabled ? [spec('.squawk.toml', 'seed', 'local/_squawk.toml.ejs')] : []),
  ];
}

/** The complete plan for a context and the detected project. */
export function planFiles(ctx: RenderContext, facts: ProjectFacts): FileSpec[] {
  return [...pipelineFiles(ctx), ...(facts.mode === 'new' ? [...newAppFiles(ctx), ...localDevFiles(ctx)] : adoptFiles(ctx, facts))];
}
