/**
 * validateTree: the one entry point that checks a generated tree with real parsers and linters and
 * returns findings (file, line, rule, message, fix hint). Dispatch is by path:
 * - `.github/workflows/*.yml|yaml` → strict YAML, actionlint, shellcheck per run block, hardening rules
 * - any other `*.yml|yaml` → strict YAML (duplicate keys are errors)
 * - `compose.yaml` / `docker-compose.yml` → also the Compose schema, dclint and `docker compose config`'s own checks
 * - `terraform/**.tf|.tfvars` → hcl2json parse, AWS provider schema, references, terraform fmt
 * - `**.json` → strict JSON; `.aws/taskdef.*.json` also as ECS RegisterTaskDefinition input
 * - `**.js|mjs|cjs` → node --check; `**.ts` → tsc --noEmit (one scratch compile)
 * node_modules, dist, .git and .terraform are skipped.
 */
import { listTreeFiles } from './files.js';
import { sortFindings, type Finding } from './finding.js';
import { validateJs } from './code/js.js';
import { validateTs } from './code/ts.js';
import { validateJsonFile } from './json/index.js';
import { validateTerraform } from './terraform/index.js';
import { validateWorkflow } from './workflow/index.js';
import { validateYamlFile } from './yaml-file.js';
import { validateComposeFile } from './compose.js';

export { formatFindings, type Finding } from './finding.js';

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const TERRAFORM = /^terraform\/(.+\/)?[^/]+\.(tf|tfvars)$/;
const YAML_FILE = /\.ya?ml$/;
const COMPOSE = /(^|\/)(docker-)?compose\.ya?ml$/;
const JSON_FILE = /\.json$/;
const JS = /\.(js|mjs|cjs)$/;
const TS = /(?<!\.d)\.(ts|mts|cts)$/;

/** Validate every file of the generated tree at `dir`; an empty result means the tree is clean. */
export async function validateTree(dir: string): Promise<Finding[]> {
  const files = listTreeFiles(dir);
  const results = await Promise.all([
    ...files.filter((f) => WORKFLOW.test(f)).map((f) => validateWorkflow(dir, f)),
    validateTerraform(
      dir,
      files.filter((f) => TERRAFORM.test(f)),
    ),
    Promise.resolve(
      files.filter((f) => YAML_FILE.test(f) && !WORKFLOW.test(f)).flatMap((f) => validateYamlFile(dir, f)),
    ),
    Promise.resolve(files.filter((f) => COMPOSE.test(f)).flatMap((f) => validateComposeFile(dir, f))),
    Promise.resolve(files.filter((f) => JSON_FILE.test(f)).flatMap((f) => validateJsonFile(dir, f))),
    validateJs(
      dir,
      files.filter((f) => JS.test(f)),
    ),
    validateTs(
      dir,
      files.filter((f) => TS.test(f)),
    ),
  ]);
  return sortFindings(results.flat());
}
