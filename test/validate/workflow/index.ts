/**
 * Workflow validator: strict YAML, actionlint, shellcheck on run blocks, hardening rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../finding.js';
import { actionlintFindings } from './actionlint.js';
import { hardeningFindings } from './hardening.js';
import { parseWorkflow } from './model.js';
import { shellcheckFindings } from './shellcheck.js';

/** All findings for one workflow file (`file` relative to `dir`). */
export async function validateWorkflow(dir: string, file: string): Promise<Finding[]> {
  const text = readFileSync(join(dir, file), 'utf8');
  const { model, findings } = parseWorkflow(file, text);
  const lint = actionlintFindings(file, text);
  if (!model) return [...findings, ...(await lint)];
  const [linted, shell] = await Promise.all([lint, shellcheckFindings(file, model.runs)]);
  return [...findings, ...linted, ...shell, ...hardeningFindings(file, model)];
}
