/**
 * --example fills only what nothing else does: a detected package name and origin remote stay, saved
 * answers stay. The example values it used are marked in .yo-rc.json, and every later run warns until
 * each is replaced.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/cli.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';

const state = (dir: string): { answers: Record<string, unknown>; exampleValues?: string[] } =>
  JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['create-canary-pipeline'];

/** An Express service with a package name and a GitHub origin remote. */
function existingService(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'package.json'),
    '{ "name": "billing", "main": "app.js", "dependencies": { "express": "^5.1.0" } }\n',
  );
  writeFileSync(
    join(dir, 'app.js'),
    "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n",
  );
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', 'https://github.com/real-org/billing.git']);
  return dir;
}

const REAL = [
  '--vpc-id',
  'vpc-0fedcba9876543210',
  '--public-subnets',
  'subnet-0fedcba9876543201,subnet-0fedcba9876543202',
  '--private-subnets',
  'subnet-0fedcba9876543203,subnet-0fedcba9876543204',
  '--certificate-arn',
  'arn:aws:acm:eu-west-1:210987654321:certificate/1b0c0d0e-1111-2222-3333-444455556666',
];

describe('--example', () => {
  it('keeps the detected package name and origin remote (and does not take the example ids for that repository)', async () => {
    const dir = existingService();
    const r = await cli(['--yes', '--example'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = state(dir);
    expect(s.answers).toMatchObject({
      serviceName: 'billing',
      githubRepo: 'real-org/billing',
      vpcId: EXAMPLE_FLAGS.vpcId,
    });
    expect(s.answers.githubOwnerId).toBeUndefined();
    expect(s.exampleValues).toEqual(['vpcId', 'publicSubnetIds', 'privateSubnetIds', 'certificateArn']);
  });

  it('marks what it filled; later runs warn until every example value is replaced; --example never replaces a saved answer', async () => {
    const dir = tempDir();
    expect((await cli(['--yes', '--example'], dir)).code).toBe(0);
    expect(state(dir).exampleValues).toEqual([
      'serviceName',
      'vpcId',
      'publicSubnetIds',
      'privateSubnetIds',
      'certificateArn',
      'githubRepo',
      'githubOwnerId',
      'githubRepoId',
    ]);
    const later = await cli(['--yes'], dir);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(
      /warning: serviceName, vpcId, .*githubRepoId still hold the built-in --example values, which deploy nowhere: replace them \(--service-name, --vpc-id, .*--github-repo-id\)/,
    );
    const partly = await cli(['--yes', ...REAL], dir);
    expect(partly.stderr).toContain(
      'warning: serviceName, githubRepo, githubOwnerId, githubRepoId still hold the built-in --example values',
    );
    expect(state(dir).exampleValues).toEqual(['serviceName', 'githubRepo', 'githubOwnerId', 'githubRepoId']);
    const again = await cli(['--yes', '--example'], dir);
    expect(state(dir).answers.vpcId).toBe('vpc-0fedcba9876543210');
    expect(again.stderr).not.toContain('vpcId');
    const done = await cli(
      [
        '--yes',
        '--service-name',
        'billing',
        '--github-repo',
        'real-org/billing',
        '--github-owner-id',
        '42',
        '--github-repo-id',
        '43',
      ],
      dir,
    );
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toContain('--example');
    expect(state(dir).exampleValues).toBeUndefined();
  });
});
