/**
 * A server bound to a loopback address is unreachable from the load balancer (it connects to the
 * task's own address): `process.env.HOST ?? 'localhost'` (Nx's node generator) gets HOST=0.0.0.0 in
 * the image; a literal loopback host is a warning. The corpus app nx-esbuild-npm has the Nx shape.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdoptFacts } from '../src/detect/facts.js';
import { describeFacts, detectProject } from '../src/detect/index.js';
import { adoptOutputs, removeScratchDirs, scratchDir } from './fixtures/adopt/support.js';
import { planFiles } from '../src/plan/plan-files.js';
import { renderFile } from '../src/plan/render.js';
import { isRendered } from '../src/plan/file-spec.js';

afterAll(removeScratchDirs);

function app(server: string, scripts: Record<string, string> = {}): string {
  const dir = scratchDir('listen-host-');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'api', scripts, dependencies: { express: '5' } }),
    'package-lock.json': '{}',
    'server.js': `const express = require('express');\nconst app = express();\n${server}\n`,
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}
const facts = (dir: string): AdoptFacts => detectProject(dir, { readGithubRepo: () => undefined }) as AdoptFacts;
const dockerfile = (dir: string): string => {
  const out = adoptOutputs(dir);
  const spec = planFiles(out.ctx, out.facts).find((s) => s.path === 'Dockerfile');
  return spec && isRendered(spec) ? renderFile(spec, out.ctx) : 'no Dockerfile planned';
};

describe('the address the server binds', () => {
  it("process.env.HOST ?? 'localhost' (Nx): the image sets HOST=0.0.0.0 and the summary says why", () => {
    const dir = app(
      "const host = process.env.HOST ?? 'localhost';\nconst port = process.env.PORT ? Number(process.env.PORT) : 3000;\napp.listen(port, host);",
    );
    expect(facts(dir).listenHost).toEqual({ file: 'server.js', envVar: 'HOST', loopback: 'localhost' });
    expect(dockerfile(dir)).toMatch(
      /^# server\.js binds process\.env\.HOST, a loopback address by default[^\n]*\nENV HOST=0\.0\.0\.0$/m,
    );
    expect(describeFacts(facts(dir))).toContain(
      'Bind address: server.js listens on process.env.HOST, localhost by default, which the load balancer cannot reach: the image sets HOST=0.0.0.0',
    );
  });
  it('inline, with ||, another variable name and 127.0.0.1', () => {
    expect(facts(app("app.listen(process.env.PORT, process.env['BIND_ADDR'] || '127.0.0.1');")).listenHost).toEqual({
      file: 'server.js',
      envVar: 'BIND_ADDR',
      loopback: '127.0.0.1',
    });
  });
  it('a literal loopback host: a warning, nothing set', () => {
    const dir = app("app.listen(process.env.PORT, 'localhost');");
    expect(facts(dir).warnings).toContain(
      "server.js listens on localhost only: the load balancer connects to the task's own address and cannot reach it; listen on 0.0.0.0 (or pass no host).",
    );
    expect(dockerfile(dir)).not.toMatch(/^ENV HOST/m);
  });
  it('no host, 0.0.0.0, a default that is not loopback, or a start script that sets the variable: nothing added', () => {
    for (const server of [
      'app.listen(process.env.PORT);',
      "app.listen(process.env.PORT, '0.0.0.0');",
      "const host = process.env.HOST ?? '0.0.0.0';\napp.listen(process.env.PORT, host);",
    ]) {
      const dir = app(server);
      expect(facts(dir).listenHost, server).toBeUndefined();
      expect(dockerfile(dir), server).not.toMatch(/^ENV HOST/m);
    }
    const set = app("const host = process.env.HOST ?? 'localhost';\napp.listen(process.env.PORT, host);", {
      start: 'HOST=0.0.0.0 node server.js',
    });
    expect(dockerfile(set).match(/^ENV HOST=.*$/gm)).toEqual(['ENV HOST="0.0.0.0"']);
  });
});
