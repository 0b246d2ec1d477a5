/**
 * Test support: parse a Dockerfile and replay its stages on disk, without a container engine.
 * Each stage gets a folder standing for its `/`; COPY honours .dockerignore and --from; RUN runs
 * `npm run <script>` and `rm -rf <relative paths>` for real and replaces `npm ci` by a link to this
 * repo's node_modules (no network). Anything else in a RUN is reported as unsupported, not guessed.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, posix, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { childEnv, run } from './app-harness.js';

/** One instruction: keyword, flags (--x=y) and the rest of the line. */
export interface Instruction {
  readonly keyword: string;
  readonly flags: Readonly<Record<string, string>>;
  readonly args: string;
}

/** Instructions of a Dockerfile: comments dropped, continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const flags: Record<string, string> = {};
    let args = rest;
    for (let m = /^--([\w-]+)(?:=(\S*))?\s+/.exec(args); m; m = /^--([\w-]+)(?:=(\S*))?\s+/.exec(args)) {
      flags[m[1]!] = m[2] ?? 'true';
      args = args.slice(m[0].length);
    }
    out.push({ keyword: keyword.toUpperCase(), flags, args });
  }
  return out;
}

/** The exec-form argv of CMD/ENTRYPOINT, or null for shell form. */
export function execForm(args: string): string[] | null {
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** .dockerignore as a predicate on context-relative paths (patterns, `**`, `!` exceptions; last match wins). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '')).replace(/\/+$/, '');
      const re = pattern
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '.*'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/');
      return { negate, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (path) => rules.reduce((ignored, r) => (r.re.test(path) ? !r.negate : ignored), false);
}

/** State of one replayed stage. */
interface Stage {
  readonly name: string;
  readonly root: string;
  workdir: string;
  env: Record<string, string>;
}

/** Result of the replay: the final stage's root, workdir, env and CMD. */
export interface ReplayResult {
  readonly root: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cmd: readonly string[] | null;
  readonly baseImages: readonly string[];
  /** Commands that were run or substituted, for the test log. */
  readonly log: readonly string[];
}

/** Path inside a stage's `/`. */
const inStage = (stage: Stage, p: string): string =>
  join(stage.root, posix.isAbsolute(p) ? p : posix.join(stage.workdir, p));

function copyFromContext(context: string, ignored: (p: string) => boolean, sources: string[], dest: string): void {
  const many = sources.length > 1 || dest.endsWith('/');
  for (const src of sources) {
    const matches = src.includes('*')
      ? readdirSync(context).filter((f) => new RegExp(`^${src.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(f))
      : [src];
    if (!src.includes('*') && !existsSync(join(context, src)))
      throw new Error(`COPY source not in build context: ${src}`);
    for (const m of matches) {
      const from = join(context, m);
      const isDir = statSync(from).isDirectory();
      const to = isDir || !many ? dest : join(dest, m);
      cpSync(from, to, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (f) => {
          const rel = relative(context, f).split('\\').join('/');
          return rel === '' || !ignored(rel);
        },
      });
    }
  }
}

/**
 * Copy a stage's file or folder (a folder's contents into `to`, as COPY does), links kept as links.
 * Folders go through `cp -a` in a child process: node_modules trees copy ~3x faster than with fs.cp
 * and the event loop stays free for whatever else the test runs meanwhile.
 */
async function copyTree(from: string, to: string): Promise<void> {
  if (!statSync(from).isDirectory()) return cp(from, to, { recursive: true, verbatimSymlinks: true });
  mkdirSync(to, { recursive: true });
  const r = await run('cp', ['-a', '--', `${from}/.`, to], { cwd: '/', timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`cp -a ${from}/. ${to}: exit ${r.code}\n${r.stderr}`);
}

/** `rm -rf <relative paths>` inside the stage's WORKDIR (a link is removed, never followed). */
async function removePaths(stage: Stage, command: string, log: string[]): Promise<boolean> {
  const m = /^rm -rf ((?:[\w./-]+\s*)+)$/.exec(command);
  if (!m) return false;
  for (const p of m[1]!.trim().split(/\s+/)) {
    if (posix.isAbsolute(p) || posix.normalize(p).startsWith('..'))
      throw new Error(`refusing to replay ${command}: path outside WORKDIR`);
    const r = await run('rm', ['-rf', '--', inStage(stage, p)], { cwd: '/', timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`${command}: exit ${r.code}\n${r.stderr}`);
  }
  log.push(`[${stage.name}] ${command}`);
  return true;
}

/**
 * Runs a RUN command for real (e.g. the package manager's install against the registry) in `cwd`, the
 * stage's WORKDIR under `root`, the folder standing for the stage's `/`; returns false to leave the
 * command to the built-in replay. Used for real-world apps whose dependencies are not this repo's.
 */
export type CommandRunner = (
  command: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
  root: string,
) => Promise<boolean>;

async function runCommand(stage: Stage, command: string, log: string[], runner?: CommandRunner): Promise<void> {
  const cwd = inStage(stage, '.');
  if (runner && (await runner(command, cwd, stage.env, stage.root))) {
    log.push(`[${stage.name}] ${command} -> ran`);
    return;
  }
  if (/^npm ci(\s|$)/.test(command)) {
    for (const f of ['package.json', 'package-lock.json'])
      if (!existsSync(join(cwd, f))) throw new Error(`${command}: ${f} missing in ${stage.workdir}`);
    if (!existsSync(join(cwd, 'node_modules')))
      symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
    log.push(`[${stage.name}] ${command} -> linked node_modules`);
    return;
  }
  if (await removePaths(stage, command, log)) return;
  const script = /^npm run ([\w:-]+)$/.exec(command);
  if (!script) throw new Error(`unsupported RUN in stage ${stage.name}: ${command}`);
  const r = await run('npm', ['run', script[1]!], { cwd, env: childEnv(stage.env) });
  log.push(`[${stage.name}] ${command} -> exit ${r.code}`);
  if (r.code !== 0) throw new Error(`${command} failed in stage ${stage.name}:\n${r.stdout}${r.stderr}`);
}

/** A RUN line: `&&`-chained commands, each replayed in order (the first failure stops the chain). */
async function runStep(stage: Stage, line: string, log: string[], runner?: CommandRunner): Promise<void> {
  for (const command of line.split('&&').map((c) => c.trim())) await runCommand(stage, command, log, runner);
}

/** Replay `dockerfile` with `context` as build context, stages under `workDir`. */
export async function replayDockerfile(
  dockerfile: string,
  context: string,
  workDir: string,
  runner?: CommandRunner,
): Promise<ReplayResult> {
  const ignoreFile = join(context, '.dockerignore');
  const ignored = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const stages = new Map<string, Stage>();
  const baseImages: string[] = [];
  const log: string[] = [];
  let stage: Stage | undefined;
  let cmd: string[] | null = null;
  for (const ins of parseDockerfile(dockerfile)) {
    if (ins.keyword === 'FROM') {
      const [image = '', , alias] = ins.args.split(/\s+/);
      const name = alias ?? `stage${stages.size}`;
      const root = join(workDir, name);
      const parent = stages.get(image);
      if (parent) await copyTree(parent.root, root);
      else {
        mkdirSync(root, { recursive: true });
        baseImages.push(image);
      }
      stage = { name, root, workdir: parent?.workdir ?? '/', env: { ...parent?.env } };
      stages.set(name, stage);
      continue;
    }
    if (!stage) throw new Error(`${ins.keyword} before FROM`);
    await applyInstruction(stage, ins, { context, ignored, stages, log, runner, setCmd: (c) => (cmd = c) });
  }
  if (!stage) throw new Error('no FROM in Dockerfile');
  return { root: stage.root, workdir: stage.workdir, env: stage.env, cmd, baseImages, log };
}

interface ReplayEnv {
  readonly context: string;
  readonly ignored: (p: string) => boolean;
  readonly stages: ReadonlyMap<string, Stage>;
  readonly log: string[];
  readonly runner?: CommandRunner;
  readonly setCmd: (cmd: string[] | null) => void;
}

async function applyInstruction(stage: Stage, ins: Instruction, r: ReplayEnv): Promise<void> {
  switch (ins.keyword) {
    case 'WORKDIR':
      stage.workdir = posix.resolve(stage.workdir, ins.args);
      mkdirSync(inStage(stage, '.'), { recursive: true });
      return;
    case 'ENV': {
      const m = /^(\w+)[= ](.*)$/.exec(ins.args);
      if (m) stage.env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
      return;
    }
    case 'COPY': {
      const parts = ins.args.split(/\s+/);
      const dest = inStage(stage, parts.pop()!);
      mkdirSync(parts.length > 1 || dest.endsWith('/') ? dest : dirname(dest), { recursive: true });
      const from = ins.flags.from;
      if (from === undefined) return copyFromContext(r.context, r.ignored, parts, dest);
      const source = r.stages.get(from);
      if (!source) throw new Error(`COPY --from=${from}: no such stage`);
      for (const p of parts) await copyTree(join(source.root, p), dest);
      return;
    }
    case 'RUN':
      return runStep(stage, ins.args, r.log, r.runner);
    case 'CMD':
      r.setCmd(execForm(ins.args));
      return;
    case 'USER':
    case 'EXPOSE':
    case 'STOPSIGNAL':
    case 'LABEL':
    case 'ARG':
      return; // no effect on files or the command
    default:
      throw new Error(`unsupported instruction ${ins.keyword}`);
  }
}
