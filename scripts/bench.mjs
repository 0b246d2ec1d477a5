// Benchmark against create-vite (a devDependency), in one run, on this machine:
//   scaffold            non-interactive run into a fresh folder, no dependency install on either side
//                       (goal ≤ 1.5× create-vite, aim 1.2×); our code cache (src/code-cache.ts) is warm,
//                       as on every run after the first, in a cache folder of the benchmark's own
//   scaffold, first run the same without the code cache: what the very first run costs
//   re-run, no change   the same command again in a generated folder  (goal ≤ 1.0× our own scaffold)
//   first prompt        spawn → first question drawn on a pseudo-terminal (util-linux `script`)  (goal ≤ 2×)
//   install footprint   npm install of the packed tarball into an empty folder with a fresh npm cache
//                       (goal ≤ 10 packages and ≤ 10 MB; aim 1 package, ≤ 2 MB)
// Timings are interleaved A B B A … after a warm-up, and each ratio is the median of the pair ratios, so
// load from other processes on a shared machine hits both sides alike. Usage: npm run bench [-- --rounds N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argRounds = process.argv.indexOf('--rounds');
const ROUNDS = argRounds > 0 ? Number(process.argv[argRounds + 1]) : 12;
const WARMUP = 2;
const work = mkdtempSync(join(tmpdir(), 'ccp-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const bin = join(root, 'bin/create-canary-pipeline.js');
const viteBin = join(root, 'node_modules/create-vite/index.js');
const { OPTION_KEYS, OPTION_TABLE } = await import(join(root, 'dist/cli.js'));
// Both tools decide "interactive" themselves; CI in the environment would make ours non-interactive.
const env = {
  ...process.env,
  CI: '',
  NO_COLOR: '1',
  TERM: 'xterm',
  CREATE_CANARY_PIPELINE_CODE_CACHE: join(work, 'code-cache'),
};
const noCodeCache = { ...env, CREATE_CANARY_PIPELINE_CODE_CACHE: '0' };
let counter = 0;
const freshDir = () => join(work, `t${counter++}`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time of one process run to completion (ms); a failed run aborts the benchmark. */
function timed(args, cwd = work, runEnv = env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd,
    env: runEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Spawn → `marker` appears on the pseudo-terminal (ms); then Ctrl-C and wait for the exit. */
function timeToPrompt(command, marker) {
  return new Promise((resolvePromise, reject) => {
    const cwd = freshDir();
    mkdirSync(cwd);
    const start = process.hrtime.bigint();
    // A pty made by `script` from a pipe has no size: give it one, or prompts wrap at column 0.
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    let ms;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      if (ms === undefined && seen.includes(marker)) {
        ms = Number(process.hrtime.bigint() - start) / 1e6;
        child.stdin.write('\x03');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (ms === undefined) reject(new Error(`no prompt "${marker}" from ${command}; saw: ${seen.slice(0, 400)}`));
      else resolvePromise(ms);
    });
  });
}

/** Interleave A B B A …; returns medians of each side and the median of the pair ratios B/A. */
async function interleave(a, b) {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const as = [];
  const bs = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((x, i) => bs[i] / x)) };
}

/** Installed packages: folders with a package.json under node_modules (scoped and nested too). */
function packagesIn(nm) {
  let n = 0;
  for (const name of readdirSync(nm).filter((x) => !x.startsWith('.'))) {
    const dirs = name.startsWith('@') ? readdirSync(join(nm, name)).map((s) => join(nm, name, s)) : [join(nm, name)];
    for (const d of dirs) {
      if (existsSync(join(d, 'package.json'))) n++;
      if (existsSync(join(d, 'node_modules'))) n += packagesIn(join(d, 'node_modules'));
    }
  }
  return n;
}

function bytesIn(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const st = statSync(join(dir, name));
    return sum + (st.isDirectory() ? bytesIn(join(dir, name)) : st.size);
  }, 0);
}

function footprint(dir) {
  return { packages: packagesIn(join(dir, 'node_modules')), mb: bytesIn(join(dir, 'node_modules')) / 1e6 };
}

/** Cold install of a local tarball into an empty folder with an empty npm cache. */
function coldInstall(tarball) {
  const dir = freshDir();
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const cache = join(dir, '.npm-cache');
  const start = process.hrtime.bigint();
  execFileSync('npm', ['install', tarball, '--cache', cache, '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd: dir,
    env,
    stdio: 'ignore',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ...footprint(dir), seconds };
}

function pack(args) {
  const out = JSON.parse(
    execFileSync('npm', ['pack', ...args, '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  return join(work, out[0].filename);
}

// create-vite writes files and leaves `npm install` to the user; our default run also installs the new
// service's dependencies (the lockfile its workflow needs). Like for like: --skip-install.
const OURS = ['--yes', '--example', '--skip-install'];
const loadBefore = loadavg();
const scaffold = await interleave(
  () => timed([viteBin, freshDir(), '--template', 'vanilla-ts', '--no-interactive']),
  () => timed([bin, freshDir(), ...OURS]),
);
const firstRun = await interleave(
  () => timed([viteBin, freshDir(), '--template', 'vanilla-ts', '--no-interactive']),
  () => timed([bin, freshDir(), ...OURS], work, noCodeCache),
);
const generated = freshDir();
timed([bin, generated, ...OURS]);
const again = spawnSync(process.execPath, [bin, generated, ...OURS], { env, encoding: 'utf8' });
if (!again.stdout.includes('Nothing to change'))
  throw new Error(`the re-run is meant to change nothing, but printed:\n${again.stdout}`);
const rerun = await interleave(
  () => timed([bin, freshDir(), ...OURS]),
  () => timed([bin, generated, ...OURS]),
);
const firstQuestion = OPTION_TABLE[OPTION_KEYS[0]].message;
const prompt = await interleave(
  () => timeToPrompt(`${process.execPath} ${viteBin}`, 'Project name'),
  () => timeToPrompt(`${process.execPath} ${bin}`, firstQuestion),
);
const ours = [0, 1, 2].map(() => coldInstall(pack([])));
// create-vite's published tarball (npm pack of its folder in node_modules drops the templates).
const viteVersion = JSON.parse(readFileSync(join(root, 'node_modules/create-vite/package.json'), 'utf8')).version;
const vite = [0, 1, 2].map(() => coldInstall(pack([`create-vite@${viteVersion}`])));
const loadAfter = loadavg();

const ms = (x) => `${x.toFixed(0)} ms`;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
const rows = [
  [
    'scaffold',
    ms(scaffold.a),
    ms(scaffold.b),
    `${scaffold.ratio.toFixed(2)}×`,
    '≤ 1.5× create-vite (aim 1.2×)',
    verdict(scaffold.ratio <= 1.5),
  ],
  ['scaffold, first run (no code cache)', ms(firstRun.a), ms(firstRun.b), `${firstRun.ratio.toFixed(2)}×`, '', ''],
  [
    're-run, no change (vs our scaffold)',
    ms(rerun.a),
    ms(rerun.b),
    `${rerun.ratio.toFixed(2)}×`,
    '≤ 1.0× scaffold',
    verdict(rerun.ratio <= 1.0),
  ],
  [
    'first prompt (pty)',
    ms(prompt.a),
    ms(prompt.b),
    `${prompt.ratio.toFixed(2)}×`,
    '≤ 2× create-vite',
    verdict(prompt.ratio <= 2),
  ],
];
const inst = (xs) => ({ packages: xs[0].packages, mb: xs[0].mb, seconds: median(xs.map((x) => x.seconds)) });
const [o, v] = [inst(ours), inst(vite)];
rows.push(['install: packages', String(v.packages), String(o.packages), '', '≤ 10 (aim 1)', verdict(o.packages <= 10)]);
rows.push([
  'install: size',
  `${v.mb.toFixed(2)} MB`,
  `${o.mb.toFixed(2)} MB`,
  '',
  '≤ 10 MB (aim ≤ 2 MB)',
  verdict(o.mb <= 10),
]);
rows.push([
  'install: cold time (fresh cache)',
  `${v.seconds.toFixed(2)} s`,
  `${o.seconds.toFixed(2)} s`,
  `${(o.seconds / v.seconds).toFixed(2)}×`,
  '',
  '',
]);
const head = ['', 'A', 'this generator', 'ratio', 'goal', ''];
const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
const line = (r) =>
  r
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log(`A = create-vite for scaffold, first prompt and install; A = our own scaffold for the re-run row.`);
console.log(`${ROUNDS} interleaved rounds after ${WARMUP} warm-up; medians; ratio = median of pair ratios.`);
console.log('First prompt: spawn of `script` (pty, stty) → the question on screen, for both tools alike.');
console.log(
  `load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')} (${cpus().length} cores)\n`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
