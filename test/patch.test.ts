/**
 * Adopt patches: golden input/output pairs per fixture app, idempotence, insert-only edits, and the
 * focused cases (anchors, styles, collisions, skips). Goldens change only through
 * `npm run update-goldens` (scenarios and these); a missing golden fails.
 */
import { MAX_SOURCE_CHARS } from '../src/detect/ast.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addedCodeLayout, type AdoptFacts } from '../src/detect/facts.js';
import { patchAppModule, patchEntry } from '../src/patch/app-patch.js';
import { PATCH } from '../src/patch/index.js';
import { adoptGolden, hasAdoptGolden, writeAdoptGolden } from './support/adopt-goldens.js';
import { addScripts } from '../src/patch/package-json.js';
import {
  adoptOutputs,
  copyFixture,
  FIXTURE_NAMES,
  fixtureApp,
  removeScratchDirs,
  writeOutputs,
  type AdoptOutputs,
} from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

const UPDATE = process.env.UPDATE_GOLDENS === '1';
const REPORT = '_report.txt';

/** Files adopt mode writes (new or changed), plus a report of skipped patches and notes. */
function writtenFiles(app: string, out: AdoptOutputs): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, text] of out.files) {
    const before = existsSync(join(app, path)) ? readFileSync(join(app, path), 'utf8') : undefined;
    if (before !== text) files.set(path, text);
  }
  const report = [
    ...[...out.skipped].map(([path, reason]) => `SKIPPED ${path}\n${reason}\n`),
    ...[...out.notes].flatMap(([path, notes]) => notes.map((n) => `NOTE ${path}\n${n}\n`)),
  ].join('\n');
  if (report) files.set(REPORT, report);
  return files;
}

/** Whether `original` survives in `patched` character by character, in order (the patch only inserted). */
function onlyInsertions(original: string, patched: string): boolean {
  let i = 0;
  for (let j = 0; j < patched.length && i < original.length; j++) if (patched[j] === original[i]) i++;
  return i === original.length;
}

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  it('matches the golden output exactly', () => {
    const files = writtenFiles(fixtureApp(name), adoptOutputs(fixtureApp(name)));
    if (UPDATE) writeAdoptGolden(name, files);
    expect(hasAdoptGolden(name), `missing golden for fixture ${name}: run npm run update-goldens`).toBe(true);
    const golden = adoptGolden(name);
    expect([...golden.keys()], `golden file list of ${name} (update: npm run update-goldens)`).toEqual(
      [...files.keys()].sort(),
    );
    for (const [path, text] of files) expect(text, `${name}/${path}`).toBe(golden.get(path));
  });

  it("only inserts into the user's files, and a second run changes nothing", () => {
    const dir = copyFixture(name);
    const first = adoptOutputs(dir);
    for (const [path, text] of first.files) {
      const before = join(fixtureApp(name), path);
      if (existsSync(before)) expect(onlyInsertions(readFileSync(before, 'utf8'), text), path).toBe(true);
    }
    writeOutputs(dir, first);
    const second = adoptOutputs(dir);
    expect([...second.files.keys()].sort()).toEqual([...first.files.keys()].sort());
    for (const [path, text] of second.files) expect(text, path).toBe(readFileSync(join(dir, path), 'utf8'));
    expect([...second.skipped]).toEqual([...first.skipped]);
  });
});

describe('fixture outcomes', () => {
  it('mounts the router right after express() and before every route, 404 and error handler', () => {
    for (const name of ['express-generator', 'esm-inline', 'typescript', 'factory'] as const) {
      const out = adoptOutputs(fixtureApp(name));
      const text = out.files.get(out.facts.appModule!)!;
      const mount = text.indexOf('app.use(healthRouter());');
      expect(mount, name).toBeGreaterThan(text.indexOf('express()'));
      const firstOther = Math.min(
        ...['app.use(express', "app.use('", 'app.get(', 'app.all(', 'app.listen(']
          .map((s) => text.indexOf(s))
          .filter((i) => i >= 0),
      );
      expect(mount, name).toBeLessThan(firstOther);
    }
  });
  it('leaves the unrecognisable app alone and says exactly what to add', () => {
    const out = adoptOutputs(fixtureApp('unrecognised'));
    expect([...out.files.keys()].sort()).toEqual(['health-routes.js', 'healthcheck.js']);
    const reason = out.skipped.get('boot.js')!;
    expect(reason).toContain('Your code was not changed');
    expect(reason).toContain("const { healthRouter, drainOnSigterm } = require('./health-routes');");
    expect(reason).toContain('app.use(healthRouter());');
  });
  it('adds only the migrate script a plain-SQL runner needs, keeping package.json formatting', () => {
    const out = adoptOutputs(fixtureApp('factory'));
    const before = readFileSync(join(fixtureApp('factory'), 'package.json'), 'utf8');
    expect(out.files.get('package.json')).toBe(
      before.replace('"lint": "eslint ."', '"lint": "eslint .",\n    "migrate": "node src/migrate.js"'),
    );
    expect(adoptOutputs(fixtureApp('factory'), { database: 'none' }).files.has('package.json')).toBe(false);
  });
});

/** Minimal facts for patching an inline source; `dir` and `ext` place the added code (the health module). */
function facts(over: Partial<AdoptFacts> & { dir?: string; ext?: AdoptFacts['layout']['ext'] } = {}): AdoptFacts {
  const { dir = '.', ext = 'js', ...rest } = over;
  const moduleSystem = rest.moduleSystem ?? 'cjs';
  return {
    mode: 'adopt',
    folderName: 'x',
    packageManager: 'npm',
    scripts: { test: false, lint: false, build: false },
    moduleSystem,
    layout: addedCodeLayout(dir, ext, dir, moduleSystem),
    appModule: 'app.js',
    entry: 'app.js',
    ...rest,
  };
}

function patched(src: string, over: Parameters<typeof facts>[0] = {}, file = 'app.js'): string {
  const r = patchAppModule(src, file, facts(over));
  if ('skipReason' in r) throw new Error(r.skipReason);
  return r.text;
}

describe('app module patch', () => {
  it("follows the file's quotes, semicolons and declaration keyword", () => {
    const src =
      'let express = require("express")\nlet app = express()\napp.get("/", (q, s) => s.send("hi"))\napp.listen(process.env.PORT)\n';
    expect(patched(src)).toBe(
      'let express = require("express")\nlet { healthRouter, drainOnSigterm } = require("./health-routes")\nlet app = express()\n\n' +
        '// Health endpoints first: no auth, logging or 404 handler in front of them (create-canary-pipeline).\napp.use(healthRouter())\n\n' +
        'app.get("/", (q, s) => s.send("hi"))\n' +
        "// Keep-alive above the ALB's 60 s idle timeout; drain on SIGTERM (create-canary-pipeline).\ndrainOnSigterm(app.listen(process.env.PORT))\n",
    );
  });
  it('keeps CRLF line endings and a trailing comment on the app line', () => {
    const src =
      "const express = require('express');\r\nconst app = express(); // the app\r\n\r\nmodule.exports = app;\r\n";
    const out = patched(src, { entry: 'server.js' });
    expect(out).toContain('const app = express(); // the app\r\n\r\n// Health endpoints first');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });
  it('avoids names the file already uses', () => {
    const src =
      "const express = require('express');\nconst healthRouter = 1;\nconst app = express();\nmodule.exports = app;\n";
    const out = patched(src, { entry: 'server.js' });
    expect(out).toContain("const { healthRouter: canaryHealthRouter } = require('./health-routes');");
    expect(out).toContain('app.use(canaryHealthRouter());');
  });
  it('uses .js specifiers in ES modules and for TS compiled to ES modules', () => {
    const esm = "import express from 'express';\nconst app = express();\nexport default app;\n";
    expect(patched(esm, { moduleSystem: 'esm', entry: 'server.js' })).toContain(
      "import { healthRouter } from './health-routes.js';",
    );
    expect(
      patched(
        esm,
        { moduleSystem: 'esm', ext: 'ts', dir: 'src', appModule: 'src/app.ts', entry: 'src/server.ts' },
        'src/app.ts',
      ),
    ).toContain("import { healthRouter } from './health-routes.js';");
    expect(
      patched(
        esm,
        { moduleSystem: 'cjs', ext: 'ts', dir: 'src', appModule: 'src/app.ts', entry: 'src/server.ts' },
        'src/app.ts',
      ),
    ).toContain("import { healthRouter } from './health-routes';");
    expect(
      patched(esm, { moduleSystem: 'esm', ext: 'mjs', appModule: 'app.mjs', entry: 'x.mjs' }, 'app.mjs'),
    ).toContain("from './health-routes.mjs';");
  });
  it('keeps the require ahead of the code that uses it', () => {
    const src =
      "const express = require('express');\nconst app = express();\nconst extra = require('./extra');\napp.use(extra);\nmodule.exports = app;\n";
    const out = patched(src, { entry: 'server.js' });
    expect(out.indexOf("require('./health-routes')")).toBeLessThan(out.indexOf('const app = express()'));
  });
  it('wraps a server start in any expression position and declares nothing new', () => {
    const src =
      "const express = require('express');\nconst app = express();\nmodule.exports = app.listen(process.env.PORT);\n";
    expect(patched(src)).toContain('module.exports = drainOnSigterm(app.listen(process.env.PORT));');
  });
  it('mounts on an app kept in a class field and drains the server a method starts on it', () => {
    const src =
      "import express from 'express';\nclass App {\n  public app: express.Application;\n  constructor() {\n    this.app = express();\n    this.app.use(express.json());\n  }\n  public listen() {\n    this.app.listen(3000, () => undefined);\n  }\n}\nexport default App;\n";
    const out = patched(src, { ext: 'ts', appModule: 'app.ts', entry: 'server.ts', appName: 'this.app' }, 'app.ts');
    expect(out).toContain(
      '    this.app = express();\n\n    // Health endpoints first: no auth, logging or 404 handler in front of them (create-canary-pipeline).\n    this.app.use(healthRouter());\n\n    this.app.use(express.json());',
    );
    expect(out).toContain('drainOnSigterm(this.app.listen(3000, () => undefined));');
    expect(out).toContain("import { healthRouter, drainOnSigterm } from './health-routes';\nclass App {");
  });
  it('leaves a file too large to be hand-written alone and says why (it is not parsed)', () => {
    const src = "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n";
    expect('text' in patchAppModule(src, 'app.js', facts())).toBe(true);
    const r = patchAppModule(`${src}// ${'x'.repeat(MAX_SOURCE_CHARS)}\n`, 'app.js', facts());
    expect('skipReason' in r && r.skipReason).toContain(
      'app.js is 1.0 MB: too large to be hand-written code (a bundle or generated file?), so it was not read',
    );
  });
  it('leaves SIGTERM handling it finds to the user, with a note', () => {
    const src =
      "const express = require('express');\nconst app = express();\nconst server = app.listen(process.env.PORT);\nprocess.on('SIGTERM', () => server.close());\n";
    const r = patchAppModule(src, 'app.js', facts());
    expect('text' in r && r.notes).toEqual([expect.stringContaining('already handles SIGTERM')]);
    expect('text' in r && r.text).not.toContain('drainOnSigterm');
  });
  it.each([
    [
      "const express = require('express');\nconst a = express();\nconst b = express();\n",
      'creates more than one Express app',
    ],
    [
      "const express = require('express');\nconst app = express();\napp.get('/livez', (q, s) => s.send('ok'));\n",
      'already mentions /livez',
    ],
    ["const app = require('./factory')();\napp.listen(3000);\n", 'no `const app = express()` found in app.js'],
    ['const app = express(;\n', 'app.js does not parse'],
  ])('changes nothing and gives instructions when the anchor is unclear (%#)', (src, reason) => {
    const r = patchAppModule(src, 'app.js', facts());
    expect('skipReason' in r && r.skipReason).toContain(reason);
    expect('skipReason' in r && r.skipReason).toContain('Your code was not changed');
  });
});

describe('entry patch', () => {
  const f = facts({ appModule: 'src/app.js', entry: 'server.js', dir: 'src' });
  it('drains a server created from the imported app, a factory call or a variable holding it', () => {
    const cases: [string, string][] = [
      [
        "const app = require('./src/app');\nrequire('http').createServer(app).listen(1);\n",
        "drainOnSigterm(require('http').createServer(app)).listen(1);",
      ],
      [
        "const { build } = require('./src/app');\nconst app = build();\nconst srv = app.listen(1);\n",
        'const srv = app.listen(1);\n// Keep-alive',
      ],
      [
        "const { build } = require('./src/app');\nasync function main() {\n  const s = (await build()).listen(1);\n}\nmain();\n",
        '  drainOnSigterm(s);\n}',
      ],
    ];
    for (const [src, expected] of cases) {
      const r = patchEntry(src, 'server.js', f);
      expect('text' in r && r.text, src).toContain(expected);
      expect('text' in r && r.text, src).toContain("const { drainOnSigterm } = require('./src/health-routes');");
    }
  });
  it('skips with a reason when the server start is not visible or ambiguous', () => {
    const none = patchEntry("require('./src/app');\nrequire('./boot').run();\n", 'server.js', f);
    expect('skipReason' in none && none.skipReason).toMatch(/starts no server it can see/);
    const two = patchEntry("const app = require('./src/app');\napp.listen(1);\napp.listen(2);\n", 'server.js', f);
    expect('skipReason' in two && two.skipReason).toMatch(/starts more than one server/);
  });
});

describe('package.json patch', () => {
  it("adds missing scripts after the last one, in the file's indentation", () => {
    const tabs = '{\n\t"name": "x",\n\t"scripts": {\n\t\t"start": "node a.js"\n\t}\n}';
    expect(addScripts(tabs, { migrate: 'node migrate.js' })).toBe(
      '{\n\t"name": "x",\n\t"scripts": {\n\t\t"start": "node a.js",\n\t\t"migrate": "node migrate.js"\n\t}\n}',
    );
  });
  it('creates the scripts object at the end, or fills an empty one, keeping CRLF', () => {
    expect(addScripts('{\r\n    "name": "x"\r\n}\r\n', { build: 'tsc' })).toBe(
      '{\r\n    "name": "x",\r\n    "scripts": {\r\n        "build": "tsc"\r\n    }\r\n}\r\n',
    );
    expect(addScripts('{\n  "scripts": {},\n  "a": [1, {"b": "}"}]\n}\n', { build: 'tsc' })).toBe(
      '{\n  "scripts": {\n    "build": "tsc"\n  },\n  "a": [1, {"b": "}"}]\n}\n',
    );
  });
  it('returns the text unchanged when every script exists', () => {
    const text = '{ "scripts": { "build": "tsc -b", "migrate": "knex migrate:latest" } }';
    expect(addScripts(text, { build: 'tsc', migrate: 'node migrate.js' })).toBe(text);
  });
  it('gives the scripts to add by hand when scripts is not an object', () => {
    const out = adoptOutputs(fixtureApp('factory'));
    const r = PATCH.packageJson('{ "scripts": "oops" }', 'package.json', out.ctx, out.facts);
    expect('skipReason' in r && r.skipReason).toContain('"migrate":"node src/migrate.js"');
  });
});
