/**
 * YAML files other than workflows (dependabot.yml, appspec.yaml, …): strict parse only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Finding } from './finding.js';
import { STRICT_YAML, yamlFindings } from './workflow/model.js';

/** Strict-parse findings for one YAML file. */
export function validateYamlFile(dir: string, file: string): Finding[] {
  return yamlFindings(file, parseDocument(readFileSync(join(dir, file), 'utf8'), STRICT_YAML));
}
