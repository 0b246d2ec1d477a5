/**
 * The bootstrap is declared once: the CLI's next steps and docs/DEPLOYMENT.md's "First deployment" list
 * the same steps in the same order (the CLI adds the lockfile step when the install was skipped).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/cli.js';

/** Numbered top-level items of a "1. …" list. */
const numbered = (text: string): string[] =>
  [...text.matchAll(/^ {0,2}(\d+)\. (.+)$/gm)].map((m) => m[2]!.replace(/`/g, ''));

/** The printed next steps: every line after the heading, without the two-space indent. */
const printed = (stdout: string): string[] =>
  stdout
    .slice(stdout.indexOf('Next steps'))
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/^ {2}/, ''));

/** The `# N. title` comments of the printed steps, titles only. */
const stepTitles = (lines: readonly string[]): string[] => lines.flatMap((l) => /^# \d+\. (.+)$/.exec(l)?.[1] ?? []);

function documentedSteps(cwd: string): string[] {
  const doc = readFileSync(join(cwd, 'docs/DEPLOYMENT.md'), 'utf8');
  return numbered(
    doc.slice(doc.indexOf('## First deployment'), doc.indexOf('\n## ', doc.indexOf('## First deployment') + 1)),
  );
}

describe('next steps = "First deployment"', () => {
  it.each([
    ['defaults', ['--yes', '--example']],
    ['placeholders, no staging, no database', ['--yes', '--no-staging', '--database', 'none', '--cache', 'none']],
    ['codedeploy, Slack off', ['--yes', '--example', '--deployment-engine', 'codedeploy', '--no-slack']],
  ])(
    '%s: the same steps in the same order, every line a command or a comment that bash parses',
    async (_name, args) => {
      const cwd = tempDir();
      const r = await cli(args, cwd);
      expect(r.code, r.stderr).toBe(0);
      const lines = printed(r.stdout);
      const documented = documentedSteps(cwd);
      expect(documented.length).toBeGreaterThanOrEqual(7);
      expect(lines[0]).toMatch(/^npm install {2}# creates package-lock\.json/); // --skip-install (the test helper's default)
      expect(stepTitles(lines)).toEqual(documented);
      expect(documented.findIndex((s) => s.startsWith('Create the GitHub environments'))).toBeLessThan(
        documented.findIndex((s) => s.startsWith('Commit and push')),
      );
      expect(lines.at(-1)).toMatch(/^# Read on: docs\/DEPLOYMENT\.md/);
      // One command per line: each line on its own is a complete shell command (or only a comment).
      for (const line of lines) {
        const check = spawnSync('bash', ['-n', '-c', line], { encoding: 'utf8' });
        expect(check.status, `${line}\n${check.stderr}`).toBe(0);
      }
      // Every command the docs show for a step is printed the same (the commands come from one place); the
      // docs break long ones over lines with shell continuations, the printed steps keep one a line.
      const doc = readFileSync(join(cwd, 'docs/DEPLOYMENT.md'), 'utf8').replace(/ \\\n\s*/g, ' ');
      for (const line of lines.filter((l) => /^(aws|terraform apply -target|jq|gh api --method)/.test(l)))
        expect(doc).toContain(line.replace(/ {2}# .*$/, ''));
    },
  );

  it('pasted in order from where the generator ran, each command runs in the folder it needs', async () => {
    const cwd = tempDir();
    const r = await cli(['my-api', '--yes', '--example'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const lines = printed(r.stdout);
    expect(lines[0]).toBe('cd my-api/');
    // Stand-ins for the tools that record the folder they run in, relative to where the user stands.
    const bin = join(tempDir(), 'bin');
    const log = join(bin, '..', 'calls.log');
    mkdirSync(bin);
    for (const tool of ['terraform', 'aws', 'gh', 'jq', 'npm', 'git']) {
      writeFileSync(
        join(bin, tool),
        `#!/bin/sh\necho "${tool} $1 $(realpath --relative-to='${cwd}' "$PWD")" >> '${log}'\n`,
        { mode: 0o755 },
      );
    }
    const run = spawnSync(
      'bash',
      ['-e', '-c', `${lines.join('\n')}\necho "end $(realpath --relative-to='${cwd}' "$PWD")" >> '${log}'`],
      {
        cwd,
        encoding: 'utf8',
        env: { PATH: `${bin}:/usr/bin:/bin`, STATE_BUCKET: 'my-state' },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const where = (prefix: string): string[] => [
      ...new Set(calls.filter((c) => c.startsWith(prefix)).map((c) => c.split(' ').at(-1)!)),
    ];
    expect(where('npm install')).toEqual(['my-api']);
    expect(where('terraform')).toEqual(['my-api/terraform']);
    expect(where('git')).toEqual(['my-api/terraform']); // git works on the whole repository from any folder of it
    expect(calls.at(-1)).toBe('end my-api');
    // Without STATE_BUCKET the init refuses before terraform runs, naming what to set.
    writeFileSync(log, '');
    const unset = spawnSync('bash', ['-e', '-c', lines.join('\n')], {
      cwd,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin` },
    });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toContain('set STATE_BUCKET to the name of your Terraform state bucket');
    expect(readFileSync(log, 'utf8')).not.toContain('terraform');
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
