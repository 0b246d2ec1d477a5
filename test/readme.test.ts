import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsMarkdown } from '../src/cli/help.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  license: string;
};
const license = readFileSync(new URL('../LICENSE', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every option exactly as the option table declares it (npm run readme regenerates it)', () => {
    const start = readme.indexOf('<!-- options:start');
    const end = readme.indexOf('<!-- options:end -->');
    const block = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
    expect(block).toBe(optionsMarkdown());
  });
  it('has the two quick-start commands, and CI calls exactly the README test command', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Three ways'));
    expect(quick).toContain('npm ci && npm run example');
    expect(quick).toContain('npm ci && npm test');
    expect(pkg.scripts.example).toContain('--example --yes');
    expect(ci.trim().split('\n').at(-1)).toBe('npm test');
  });
  it("the LICENSE file is the license package.json declares (SPDX id and the text's title)", () => {
    const titles: Record<string, string> = { MIT: 'MIT License', 'Apache-2.0': 'Apache License', ISC: 'ISC License' };
    expect(Object.keys(titles)).toContain(pkg.license);
    expect(license.split('\n')[0]).toBe(titles[pkg.license]);
    expect(license).toMatch(/^Copyright \(c\) \d{4} /m);
  });
});
