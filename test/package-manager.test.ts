import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/options/resolve.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { buildContext } from '../src/context/build-context.js';
import { newRepoFacts, type ProjectFacts } from '../src/detect/facts.js';
import { renderFile } from '../src/plan/render.js';

function dockerfile(facts: ProjectFacts): string {
  const { options } = resolveOptions({ flags: EXAMPLE_FLAGS, facts: { folderName: 'api' }, mode: 'strict' });
  return renderFile(
    { path: 'Dockerfile', kind: 'managed', template: 'docker/Dockerfile.ejs' },
    buildContext(options, facts),
  );
}

describe('package-manager commands in the Dockerfile', () => {
  const base = newRepoFacts('api');
  it.each([
    ['npm', false, 'npm ci --omit=dev', 'package-lock.json'],
    ['pnpm', false, 'pnpm install --frozen-lockfile --prod', 'pnpm-lock.yaml'],
    ['yarn', false, 'yarn workspaces focus --all --production', '.yarnrc.yml'],
    ['yarn', true, 'yarn install --frozen-lockfile --production', 'yarn.lock'],
  ] as const)(
    '%s (classic: %s) installs production deps with "%s" from %s',
    (pm, yarnClassic, prodInstall, lockfile) => {
      const text = dockerfile({ ...base, packageManager: pm, yarnClassic });
      expect(text).toContain(` ${prodInstall}\n`);
      expect(text).toMatch(new RegExp(`^COPY package\\.json .*${lockfile.replace('.', '\\.')}`, 'm'));
      if (yarnClassic) expect(text).not.toContain('workspaces focus');
      const corepack = JSON.parse(readFileSync(new URL('../resources/app/package.json', import.meta.url), 'utf8'))
        .devDependencies.corepack as string;
      if (pm === 'npm') expect(text).not.toContain('corepack');
      else expect(text).toContain(`npm install --global corepack@${corepack} && corepack enable\n`);
      // Without a "packageManager" field corepack would take the newest release of the day: its own known release instead.
      if (pm !== 'npm') expect(text).toMatch(/corepack enable\n(#.*\n)*ENV COREPACK_DEFAULT_TO_LATEST=0\n/);
      else expect(text).not.toContain('COREPACK_DEFAULT_TO_LATEST');
    },
  );
});
