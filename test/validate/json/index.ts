/**
 * JSON validator: every .json file parses strictly (no duplicate keys either); task-definition
 * templates (.aws/taskdef.*.json) must also be valid RegisterTaskDefinition input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { finding, lineAt, type Finding } from '../finding.js';
import { closest } from '../closest.js';
import { checkTaskDefinition, type ShapeProblem } from './shape.js';

const TASKDEF = /(^|\/)\.aws\/taskdef\.[^/]+\.json$/;

function lineOfKey(text: string, key: string | undefined): number | undefined {
  if (key === undefined) return undefined;
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? undefined : lineAt(text, i);
}

/** JSON.parse with the error position turned into a line. */
function parseJson(file: string, text: string): { value?: unknown; findings: Finding[] } {
  try {
    const value: unknown = JSON.parse(text);
    // JSON.parse keeps the last of repeated keys silently; YAML 1.2 (a JSON superset) reports them.
    const dup = parseDocument(text, { uniqueKeys: true }).errors.find((e) => e.code === 'DUPLICATE_KEY');
    const findings = dup
      ? [
          finding(
            file,
            dup.linePos?.[0].line,
            'json/duplicate-key',
            'a key is repeated in the same object; JSON.parse silently keeps only the last value',
            'remove or merge the repeated key',
          ),
        ]
      : [];
    return { value, findings };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg)?.[1];
    return {
      findings: [
        finding(
          file,
          pos ? lineAt(text, Number(pos)) : undefined,
          'json/syntax',
          msg,
          'fix the JSON syntax (no comments, no trailing commas)',
        ),
      ],
    };
  }
}

function taskdefFinding(file: string, text: string, p: ShapeProblem): Finding {
  const near = p.candidates && p.key ? closest(p.key, p.candidates) : undefined;
  const hints: Record<ShapeProblem['kind'], string> = {
    missing: 'add the required member (see the ECS RegisterTaskDefinition API reference)',
    unknown: near ? `did you mean "${near}"?` : 'remove it: RegisterTaskDefinition rejects unknown members',
    type: 'use the JSON type the ECS API expects',
    enum: 'use one of the allowed values',
  };
  return finding(file, lineOfKey(text, p.key), `taskdef/${p.kind}`, p.message, hints[p.kind]);
}

/** Findings for one JSON file. */
export function validateJsonFile(dir: string, file: string): Finding[] {
  const text = readFileSync(join(dir, file), 'utf8');
  const { value, findings } = parseJson(file, text);
  if (value === undefined || !TASKDEF.test(file)) return findings;
  return [...findings, ...checkTaskDefinition(value).map((p) => taskdefFinding(file, text, p))];
}
