/**
 * The bootstrap is declared once: the CLI's next steps and docs/DEPLOYMENT.md's "First deployment" list
 * the same steps in the same order (the CLI adds the lockfile step when the install was skipped).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/cli.js';

/** Numbered top-level items of a "1. …" list. */
const numbered = (text: string): string[] => [...text.matchAll(/^ {0,2}(\d+)\. (.+)$/gm)].map((m) => m[2]!.replace(/`/g, ''));

describe('next steps = "First deployment"', () => {
  it.each([
    ['defaults', ['--yes', '--example']],
    ['placeholders, no staging, no database', ['--yes', '--no-staging', '--database', 'none', '--cache', 'none']],
    ['codedeploy, Slack off', ['--yes', '--example', '--deployment-engine', 'codedeploy', '--no-slack']],
  ])('%s', async (_name, args) => {
    const cwd = tempDir();
    const r = await cli(args, cwd);
    expect(r.code, r.stderr).toBe(0);
    const next = numbered(r.stdout.slice(r.stdout.indexOf('Next steps:')));
    const doc = readFileSync(join(cwd, 'docs/DEPLOYMENT.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## First deployment'), doc.indexOf('\n## ', doc.indexOf('## First deployment') + 1));
    const documented = numbered(section);
    expect(documented.length).toBeGreaterThanOrEqual(7);
    expect(next[0]).toMatch(/^npm install — creates package-lock\.json/); // --skip-install (the test helper's default)
    expect(next.slice(1)).toEqual(documented);
    expect(documented.findIndex((s) => s.startsWith('Create the GitHub environments'))).toBeLessThan(documented.findIndex((s) => s.startsWith('Commit and push')));
  });

  it('says where the first deploy job stops, and the workflow stops there', async () => {
    const cwd = tempDir();
    await cli(['--yes', '--example'], cwd);
    const doc = readFileSync(join(cwd, 'docs/DEPLOYMENT.md'), 'utf8');
    const stop = /each deploy job stops at its first step, "([^"]+)"/.exec(doc)![1]!;
    const wf = readFileSync(join(cwd, '.github/workflows/deploy.yml'), 'utf8');
    for (const job of ['deploy-staging', 'deploy-production']) {
      const body = wf.slice(wf.indexOf(`  ${job}:`));
      expect(/steps:\n {6}- name: (.+)/.exec(body)![1]).toBe(stop);
    }
  });
});
