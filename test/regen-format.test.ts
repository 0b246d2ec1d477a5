/** formatOutcomes: the run summary and the --dry-run report. */
import { describe, expect, it } from 'vitest';
import { formatOutcomes } from '../src/regen/apply.js';
import type { FileOutcome } from '../src/regen/reconcile.js';

const unchanged = (path: string): FileOutcome => ({ path, kind: 'managed', action: 'unchanged' });

describe('formatOutcomes', () => {
  it('says "Nothing to change" with the count when nothing changes', () => {
    const outcomes: FileOutcome[] = [unchanged('a'), unchanged('b'), { path: 's', kind: 'seed', action: 'keep-seed' }];
    expect(formatOutcomes(outcomes, { dryRun: false })).toBe('Nothing to change: 3 file(s) already up to date.\n');
    expect(formatOutcomes(outcomes, { dryRun: true })).toBe(
      'Dry run: nothing was written.\nNothing to change: 3 file(s) already up to date.\n',
    );
  });

  it('lists each changed file once, counts unchanged ones, and explains conflicts', () => {
    const outcomes: FileOutcome[] = [
      unchanged('a.tf'),
      { path: 'main.tf', kind: 'managed', action: 'update', text: 'x' },
      {
        path: 'Dockerfile',
        kind: 'managed',
        action: 'merged',
        text: 'x',
        detail: 'your edits kept and merged with the new version',
      },
      { path: 'alb.tf', kind: 'managed', action: 'conflict', text: 'x', detail: '1 conflicting section(s)' },
      { path: 'old.tf', kind: 'managed', action: 'keep-orphan', detail: 'no longer generated, but you edited it' },
      {
        path: 'src/app.ts',
        kind: 'patch',
        action: 'patch-skipped',
        detail: 'anchor not found\nadd this line yourself:\n  app.use(health)',
      },
    ];
    const text = formatOutcomes(outcomes, { dryRun: false });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.includes('main.tf'))).toEqual(['  update    main.tf']);
    expect(text).toContain('  merged    Dockerfile — your edits kept and merged with the new version\n');
    expect(text).toContain('  CONFLICT  alb.tf — 1 conflicting section(s)\n');
    expect(text).toContain('  kept      old.tf — no longer generated, but you edited it\n');
    expect(text).toContain(
      '  skipped   src/app.ts — anchor not found\n              add this line yourself:\n                app.use(health)\n',
    );
    expect(text).toContain('  1 file(s) unchanged.');
    expect(text).toMatch(/1 file\(s\) have conflicts to resolve:\n {2}alb\.tf\n.*<<<<<<< yours \(on disk\).*--force/s);
    expect(text).not.toContain('a.tf\n');
    expect(text).not.toContain('Nothing to change');
  });

  it('dry run: says nothing was written and prints each change’s diff and merge outcome', () => {
    const outcomes: FileOutcome[] = [
      {
        path: 'main.tf',
        kind: 'managed',
        action: 'update',
        text: 'x',
        diff: '--- a/main.tf\n+++ b/main.tf\n@@ -1,1 +1,1 @@\n-a\n+b\n',
      },
      {
        path: 'D',
        kind: 'managed',
        action: 'merged',
        text: 'x',
        detail: 'your edits kept',
        diff: '--- a/D\n+++ b/D\n@@ -1,1 +1,1 @@\n-c\n+d\n',
      },
    ];
    const text = formatOutcomes(outcomes, { dryRun: true });
    expect(text.startsWith('Dry run: nothing was written.')).toBe(true);
    expect(text).toContain('\nupdate main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,1 +1,1 @@\n-a\n+b\n');
    expect(text).toContain('\nmerged D (your edits kept)\n--- a/D\n');
  });
});
