/**
 * Supply-chain and injection hardening rules for workflows (GitHub's security hardening guide):
 * SHA-pinned actions, explicit least-privilege permissions, OIDC tokens only where an AWS role is
 * assumed, and no `${{ }}` expansion inside shell scripts (values reach scripts through env:).
 */
import { finding, type Finding } from '../finding.js';
import type { JobView, RunBlock, WorkflowModel } from './model.js';

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const ASSUMES_ROLE = /^aws-actions\/configure-aws-credentials@/;
const UNTRUSTED = /github\.event\.|github\.head_ref|inputs\.|github\.ref_name/;

/** Every `uses:` (steps and reusable-workflow jobs) pinned to a full commit SHA. */
function pinFindings(file: string, jobs: readonly JobView[]): Finding[] {
  const out: Finding[] = [];
  const check = (uses: unknown, line: number): void => {
    if (typeof uses !== 'string' || uses.startsWith('./') || uses.startsWith('docker://')) return;
    if (!PINNED.test(uses)) {
      out.push(
        finding(
          file,
          line,
          'hardening/unpinned-action',
          `"${uses}" is not pinned to a 40-character commit SHA`,
          'use owner/repo@<full commit sha> # vX.Y.Z (tags can be moved; SHAs cannot)',
        ),
      );
    }
  };
  for (const job of jobs) {
    check(job.data.uses, job.line);
    for (const step of job.steps) check(step.data.uses, step.line);
  }
  return out;
}

/** Does this permissions value grant `id-token: write`? */
function grantsIdToken(perms: unknown): boolean {
  if (perms === 'write-all') return true;
  return typeof perms === 'object' && perms !== null && (perms as Record<string, unknown>)['id-token'] === 'write';
}

function assumesRole(job: JobView): boolean {
  return job.steps.some((s) => typeof s.data.uses === 'string' && ASSUMES_ROLE.test(s.data.uses));
}

/** Top-level permissions present; id-token: write only for jobs that assume an AWS role. */
function permissionFindings(file: string, model: WorkflowModel): Finding[] {
  const out: Finding[] = [];
  const top = model.data.permissions;
  if (top === undefined) {
    out.push(
      finding(
        file,
        1,
        'hardening/missing-permissions',
        'no top-level permissions: every job gets the repository default token scopes',
        'add a top-level `permissions: { contents: read }` and widen it per job only where needed',
      ),
    );
  }
  for (const job of model.jobs) {
    const effective = 'permissions' in job.data ? job.data.permissions : top;
    if (grantsIdToken(effective) && !assumesRole(job)) {
      out.push(
        finding(
          file,
          job.line,
          'hardening/id-token-without-role',
          `job "${job.id}" can mint OIDC tokens (id-token: write) but assumes no AWS role`,
          'grant id-token: write only in the permissions of jobs that use aws-actions/configure-aws-credentials',
        ),
      );
    }
  }
  return out;
}

/** `${{ }}` inside run: is template injection when the value is attacker-controlled, and fragile always. */
function expressionFindings(file: string, runs: readonly RunBlock[]): Finding[] {
  const out: Finding[] = [];
  for (const block of runs) {
    block.script.split('\n').forEach((text, i) => {
      for (const m of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
        const expr = (m[1] ?? '').trim();
        const line = block.exactLines ? block.firstLine + i : block.firstLine;
        const untrusted = UNTRUSTED.test(expr);
        out.push(
          finding(
            file,
            line,
            untrusted ? 'hardening/untrusted-input-in-run' : 'hardening/expression-in-run',
            `\${{ ${expr} }} is expanded into the shell script of job "${block.jobId}"${untrusted ? ' — attacker-controlled text becomes code' : ''}`,
            'pass the value through the step\'s env: (e.g. env: { VALUE: ${{ … }} }) and use "$VALUE" in the script',
          ),
        );
      }
    });
  }
  return out;
}

/** All hardening findings of one parsed workflow. */
export function hardeningFindings(file: string, model: WorkflowModel): Finding[] {
  return [
    ...pinFindings(file, model.jobs),
    ...permissionFindings(file, model),
    ...expressionFindings(file, model.runs),
  ];
}
