/** Human summary of a run's outcomes (and, for --dry-run, the diffs that would be applied). */
import type { Action, FileOutcome } from './reconcile.js';

const LABEL: Readonly<Record<Action, string>> = {
  create: 'create',
  update: 'update',
  merged: 'merged',
  conflict: 'CONFLICT',
  forced: 'forced',
  'delete-orphan': 'delete',
  'keep-orphan': 'kept',
  patch: 'patch',
  'patch-skipped': 'skipped',
  unchanged: 'unchanged',
  'keep-seed': 'unchanged',
};

/** Actions that change the disk, or need the user's attention: one line each. */
const LISTED: ReadonlySet<Action> = new Set<Action>([
  'create',
  'update',
  'merged',
  'conflict',
  'forced',
  'delete-orphan',
  'keep-orphan',
  'patch',
  'patch-skipped',
]);
const CHANGES: ReadonlySet<Action> = new Set<Action>([
  'create',
  'update',
  'merged',
  'conflict',
  'forced',
  'delete-orphan',
  'patch',
]);

/** One line per file; multi-line details (manual patch instructions) are indented under it. */
function line(o: FileOutcome): string {
  const head = `  ${LABEL[o.action].padEnd(9)} ${o.path}`;
  if (!o.detail) return head;
  const [first, ...rest] = o.detail.split('\n');
  return [`${head} — ${first}`, ...rest.map((r) => `              ${r}`)].join('\n');
}

function conflictSection(conflicts: readonly FileOutcome[], dryRun: boolean): string[] {
  if (conflicts.length === 0) return [];
  const verb = dryRun ? 'would conflict' : 'have conflicts to resolve';
  return [
    '',
    `${conflicts.length} file(s) ${verb}:`,
    ...conflicts.map((o) => `  ${o.path}`),
    'In each, keep what you want between "<<<<<<< yours (on disk)" and ">>>>>>> generated", delete the marker lines',
    '(and the "||||||| base" section), then re-run. Or re-run with --force to take the new version (yours is saved as <file>.orig).',
  ];
}

/**
 * Summary: one line per changed file, unchanged files as a count, "Nothing to change" when nothing
 * changes, conflicts listed with what to do. With `dryRun`, each change's diff follows the summary.
 */
export function formatOutcomes(outcomes: readonly FileOutcome[], opts: { dryRun: boolean }): string {
  const listed = outcomes.filter((o) => LISTED.has(o.action));
  const unchanged = outcomes.length - listed.length;
  const changes = listed.filter((o) => CHANGES.has(o.action));
  const out: string[] = [];
  if (opts.dryRun)
    out.push(`Dry run: nothing was written.${changes.length > 0 ? ' These changes would be made:' : ''}`);
  if (changes.length === 0) out.push(`Nothing to change: ${unchanged} file(s) already up to date.`);
  out.push(...listed.map(line));
  if (changes.length > 0 && unchanged > 0) out.push(`  ${unchanged} file(s) unchanged.`);
  out.push(
    ...conflictSection(
      outcomes.filter((o) => o.action === 'conflict'),
      opts.dryRun,
    ),
  );
  if (opts.dryRun) {
    for (const o of changes)
      if (o.diff) out.push('', `${LABEL[o.action]} ${o.path}${o.detail ? ` (${o.detail})` : ''}`, o.diff.trimEnd());
  }
  return `${out.join('\n')}\n`;
}
