/**
 * Strict YAML parse of a workflow and a small typed view of it (jobs, steps, `run:` blocks) that keeps
 * source lines, shared by the shellcheck and hardening checks.
 */
import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { finding, type Finding } from '../finding.js';

/** A `run:` script with where its text starts in the workflow file. */
export interface RunBlock {
  readonly jobId: string;
  readonly script: string;
  /** 1-based file line of the script's first line. */
  readonly firstLine: number;
  /** True when script line i is file line firstLine + i (literal block or single-line scalar). */
  readonly exactLines: boolean;
  /** The step's `shell:`, else the job's / workflow's `defaults.run.shell`, else undefined (GitHub default). */
  readonly shell: string | undefined;
}

/** One job as plain data plus the line of its key. */
export interface JobView {
  readonly id: string;
  readonly line: number;
  readonly data: Record<string, unknown>;
  readonly steps: readonly { readonly line: number; readonly data: Record<string, unknown> }[];
}

/** A parsed workflow: plain JS data, the jobs, every run block, and a line lookup. */
export interface WorkflowModel {
  readonly data: Record<string, unknown>;
  readonly jobs: readonly JobView[];
  readonly runs: readonly RunBlock[];
  readonly topLine: (key: string) => number | undefined;
}

/** Errors and warnings of a strictly parsed YAML document as findings (duplicate keys are errors). */
export function yamlFindings(file: string, doc: Document): Finding[] {
  return [...doc.errors, ...doc.warnings].map((e) => {
    const dup = e.code === 'DUPLICATE_KEY';
    return finding(
      file,
      e.linePos?.[0].line,
      dup ? 'yaml/duplicate-key' : 'yaml/syntax',
      e.message.split('\n')[0] ?? e.message,
      dup ? 'remove or merge the repeated key; YAML keeps only one of them' : 'fix the YAML syntax at this position',
    );
  });
}

/** Strict parse options: duplicate keys are errors, positions are kept for messages. */
export const STRICT_YAML = { uniqueKeys: true, strict: true, prettyErrors: true } as const;

/** Parse strictly (duplicate keys and YAML warnings are findings); returns the model when there are no errors. */
export function parseWorkflow(file: string, text: string): { model?: WorkflowModel; findings: Finding[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...STRICT_YAML, lineCounter: lc });
  const findings = yamlFindings(file, doc);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    if (doc.errors.length === 0)
      findings.push(
        finding(
          file,
          1,
          'yaml/syntax',
          'the workflow is not a YAML mapping',
          'a workflow file is a mapping with on:, jobs:, …',
        ),
      );
    return { findings };
  }
  return { model: buildModel(doc, lc), findings };
}

function lineOf(lc: LineCounter, node: Node | null | undefined): number | undefined {
  return node?.range ? lc.linePos(node.range[0]).line : undefined;
}

function shellOf(map: YAMLMap | undefined): string | undefined {
  const v = map?.getIn(['defaults', 'run', 'shell']);
  return typeof v === 'string' ? v : undefined;
}

function buildModel(doc: Document, lc: LineCounter): WorkflowModel {
  const root = doc.contents as YAMLMap;
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const jobsNode = root.get('jobs', true);
  const jobs: JobView[] = [];
  const runs: RunBlock[] = [];
  if (isMap(jobsNode)) {
    for (const pair of jobsNode.items) {
      const id = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const jobNode = isMap(pair.value) ? pair.value : undefined;
      const jobShell = shellOf(jobNode) ?? shellOf(root);
      const stepsNode = jobNode?.get('steps', true);
      const steps = isSeq(stepsNode) ? stepsNode.items.filter(isMap) : [];
      for (const step of steps) {
        const runNode = step.get('run', true);
        if (isScalar(runNode) && typeof runNode.value === 'string') {
          const shell = step.get('shell');
          runs.push(runBlock(id, runNode, lc, typeof shell === 'string' ? shell : jobShell));
        }
      }
      jobs.push({
        id,
        line: lineOf(lc, pair.key as Node) ?? 1,
        data: (jobNode?.toJSON() ?? {}) as Record<string, unknown>,
        steps: steps.map((s) => ({ line: lineOf(lc, s) ?? 1, data: s.toJSON() as Record<string, unknown> })),
      });
    }
  }
  const topLine = (key: string): number | undefined =>
    lineOf(lc, root.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node);
  return { data, jobs, runs, topLine };
}

function runBlock(jobId: string, node: Scalar, lc: LineCounter, shell: string | undefined): RunBlock {
  const start = lineOf(lc, node) ?? 1;
  const script = String(node.value);
  if (node.type === 'BLOCK_LITERAL') return { jobId, script, firstLine: start + 1, exactLines: true, shell };
  return { jobId, script, firstLine: start, exactLines: !script.includes('\n'), shell };
}
