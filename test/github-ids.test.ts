/**
 * The GitHub owner and repository ids: detected with `gh api repos/OWNER/REPO` (a fake gh on PATH here,
 * never the network), bounded by a timeout, asked at the prompt otherwise; without them a warning, a
 * tfvars TODO and the exact gh command.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectGithubIds } from '../src/detect/github-ids.js';
import { cli, mockAsk, tempDir } from './support/cli.js';

const ACCOUNT = [
  '--vpc-id',
  'vpc-0123456789abcdef0',
  '--public-subnets',
  'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
  '--private-subnets',
  'subnet-0a1b2c3d4e5f60003,subnet-0a1b2c3d4e5f60004',
  '--certificate-arn',
  'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c0d0e-1111-2222-3333-444455556666',
];

/** A fake gh: records its arguments, then runs `body` (bash). */
function fakeGh(body: string): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = tempDir('ccp-gh-');
  const log = join(bin, 'calls');
  writeFileSync(join(bin, 'gh'), `#!/bin/bash\necho "$*" >> "${log}"\n${body}\n`);
  chmodSync(join(bin, 'gh'), 0o755);
  return {
    env: { PATH: `${bin}:${process.env.PATH}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

const LOGGED_IN = `[[ "$1 $2" == "api repos/acme/api" ]] || exit 1\nprintf '123456\\t456789\\n'`;

describe('detectGithubIds', () => {
  it('reads both ids from gh api repos/OWNER/REPO', () => {
    const gh = fakeGh(LOGGED_IN);
    expect(detectGithubIds('acme/api', gh.env)).toEqual({ repo: 'acme/api', ownerId: '123456', repoId: '456789' });
    expect(gh.calls()).toEqual(['api repos/acme/api --jq [.owner.id, .id] | @tsv']);
  });

  it('is unknown when gh is missing, not logged in, or answers nonsense', () => {
    expect(detectGithubIds('acme/api', { PATH: tempDir() })).toBeUndefined();
    expect(
      detectGithubIds(
        'acme/api',
        fakeGh('echo "To get started with GitHub CLI, please run:  gh auth login" >&2; exit 4').env,
      ),
    ).toBeUndefined();
    expect(detectGithubIds('acme/api', fakeGh("echo 'not found'").env)).toBeUndefined();
  });

  it('gives up at the timeout instead of waiting for a hanging gh', () => {
    const gh = fakeGh('exec sleep 30');
    const t0 = Date.now();
    expect(detectGithubIds('acme/api', gh.env, 500)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('never runs gh for a repository name that is not owner/repo', () => {
    const gh = fakeGh(LOGGED_IN);
    expect(detectGithubIds('acme/api; rm -rf /', gh.env)).toBeUndefined();
    expect(detectGithubIds(undefined, gh.env)).toBeUndefined();
    expect(gh.calls()).toEqual([]);
  });
});

describe('the CLI and the ids', () => {
  it('takes the ids gh reports into terraform.tfvars and .yo-rc.json, and a re-run does not ask gh again', async () => {
    const cwd = tempDir();
    const gh = fakeGh(LOGGED_IN);
    const r = await cli(['--yes', '--github-repo', 'acme/api', ...ACCOUNT], cwd, { env: gh.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const tfvars = readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8');
    expect(tfvars).toContain('github_owner_id = "123456"');
    expect(tfvars).toContain('github_repo_id  = "456789"');
    expect(JSON.parse(readFileSync(join(cwd, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers).toMatchObject({
      githubOwnerId: '123456',
      githubRepoId: '456789',
    });
    const again = await cli(['--yes'], cwd, { env: gh.env });
    expect(again.code, again.stderr).toBe(0);
    expect(gh.calls()).toHaveLength(1);
  });

  it('flags win over detection', async () => {
    const cwd = tempDir();
    const gh = fakeGh(LOGGED_IN);
    const r = await cli(
      ['--yes', '--github-repo', 'acme/api', '--github-owner-id', '7', '--github-repo-id', '8', ...ACCOUNT],
      cwd,
      { env: gh.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(gh.calls()).toEqual([]);
    expect(readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8')).toContain('github_owner_id = "7"');
  });

  it('without gh: a warning, a TODO with the command in terraform.tfvars, and the command in the next steps', async () => {
    const cwd = tempDir();
    const r = await cli(['--no-interactive', '--github-repo', 'acme/api', ...ACCOUNT], cwd, {
      env: { PATH: tempDir() },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: the numeric ids of acme\/api are unknown .* repo:acme@<owner-id>\/api@<repo-id>:… .* gh api repos\/acme\/api --jq '\.owner\.id, \.id'$/m,
    );
    const tfvars = readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8');
    expect(tfvars).toMatch(
      /# TODO\(create-canary-pipeline\): the numeric ids of the owner and the repository, printed by\n# {3}gh api repos\/acme\/api --jq '\.owner\.id, \.id'/,
    );
    expect(tfvars).toContain('github_owner_id = ""');
    expect(r.stdout).toMatch(
      /github_owner_id \(--github-owner-id\), github_repo_id \(--github-repo-id\)\n {2}gh api repos\/acme\/api --jq '\.owner\.id, \.id' {2}# the two ids\n/,
    );
    expect(readFileSync(join(cwd, 'docs/DEPLOYMENT.md'), 'utf8')).toContain('**The ids are not set**');
  });

  it('at the prompt: the detected ids are the defaults; an empty answer leaves them unknown', async () => {
    const ask = async (
      answers: Record<string, string>,
      env: NodeJS.ProcessEnv,
    ): Promise<{ defaults: Record<string, unknown>; stderr: string; tfvars: string }> => {
      const cwd = tempDir();
      const prompts = mockAsk({ customizeAdvanced: true, ...answers });
      const r = await cli(['--github-repo', 'acme/api', ...ACCOUNT], cwd, { tty: true, ask: prompts.ask, env });
      expect(r.code, r.stderr).toBe(0);
      const defaults = Object.fromEntries(prompts.calls.map((q) => [q.name, (q as { default?: unknown }).default]));
      return { defaults, stderr: r.stderr, tfvars: readFileSync(join(cwd, 'terraform/terraform.tfvars'), 'utf8') };
    };
    const detected = await ask({}, fakeGh(LOGGED_IN).env);
    expect(detected.defaults).toMatchObject({ githubOwnerId: '123456', githubRepoId: '456789' });
    expect(detected.tfvars).toContain('github_repo_id  = "456789"');
    const unknown = await ask({ githubOwnerId: '', githubRepoId: '' }, { PATH: tempDir() });
    expect(unknown.defaults.githubOwnerId).toBeUndefined();
    expect(unknown.stderr).toContain('warning: the numeric ids of acme/api are unknown');
    expect(unknown.tfvars).toContain('github_repo_id  = ""');
  });
});
