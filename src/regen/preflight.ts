/**
 * Checks of the target before anything is written: every path the run may write or delete must be a
 * writable place for a file inside the target. Every problem is listed at once, one line each, and
 * the run writes nothing (a stack trace or a half-written tree is never the answer to a stray folder).
 */
import { accessSync, constants, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';

/** The target cannot take the run's files: exit 1, nothing written. */
export class TargetError extends UserError {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(
      `cannot write into ${dir}; nothing was written. Fix ${problems.length === 1 ? 'this' : 'these'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'TargetError';
  }
}

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function inside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`));
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The target folder itself: absent (created later) or a writable directory, never under a file. */
function targetProblem(dir: string): string | undefined {
  const existing = nearestExisting(dir);
  if (!statSync(existing).isDirectory())
    return existing === dir
      ? `${dir} exists and is not a directory`
      : `${existing} is a file, so ${dir} cannot be created under it`;
  return writable(existing) ? undefined : `${existing} is not writable (permission denied)`;
}

/** A problem found at one place (`at`, relative) while checking the paths that need it. */
interface Found {
  readonly at: string;
  readonly text: string;
}

/** One path: every existing parent a real folder inside the target, the file itself not a folder. */
function pathProblem(root: string, dir: string, path: string, seenDirs: Set<string>): Found | undefined {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const full = join(dir, ...parts.slice(0, i));
    const shown = parts.slice(0, i).join('/');
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(full);
    } catch {
      const parent = dirname(full);
      if (seenDirs.has(parent)) return undefined;
      seenDirs.add(parent);
      return writable(parent)
        ? undefined
        : { at: relative(dir, parent) || '.', text: 'is not writable (permission denied)' };
    }
    if (st.isSymbolicLink()) {
      const real = realOrUndefined(full);
      if (real === undefined)
        return { at: shown, text: 'is a symbolic link that points nowhere (or loops): remove it' };
      if (!inside(root, real))
        return {
          at: shown,
          text: `is a symbolic link to ${real}, outside the target; the generator never writes through it`,
        };
    }
    const isDir = statSync(full).isDirectory();
    if (i < parts.length && !isDir) return { at: shown, text: 'is a file, but the generator needs a folder there' };
    if (i === parts.length && isDir)
      return { at: shown, text: 'is a directory, but the generator writes a file there: move it away' };
  }
  return undefined;
}

/** Throw a TargetError listing every problem with writing `paths` (relative) into `dir`, one line per place. */
export function preflight(dir: string, paths: Iterable<string>): void {
  const target = targetProblem(dir);
  if (target) throw new TargetError(dir, [target]);
  if (!existsSync(dir)) return; // a new folder: everything below it is created by this run
  const root = realpathSync.native(dir);
  const seenDirs = new Set<string>();
  const found = new Map<string, { text: string; paths: string[] }>();
  for (const path of new Set(paths)) {
    let problem: Found | undefined;
    try {
      problem = pathProblem(root, dir, path, seenDirs);
    } catch (e) {
      problem = { at: path, text: `cannot be checked: ${(e as Error).message.split('\n')[0]}` };
    }
    if (problem) found.set(problem.at, { text: problem.text, paths: [...(found.get(problem.at)?.paths ?? []), path] });
  }
  const lines = [...found].map(([at, f]) => {
    const others = f.paths.filter((p) => p !== at);
    const needed =
      others.length === 0
        ? ''
        : ` (needed for ${others[0]}${others.length > 1 ? ` and ${others.length - 1} more` : ''})`;
    return `${at} ${f.text}${needed}`;
  });
  if (lines.length) throw new TargetError(dir, lines);
}

/** Every folder the run writes or deletes in must be writable (a read-only folder with nothing to change is fine). */
export function checkWritable(dir: string, paths: Iterable<string>): void {
  const blocked = new Map<string, string[]>();
  for (const path of paths) {
    const parent = nearestExisting(dirname(join(dir, path)));
    if (!writable(parent)) blocked.set(parent, [...(blocked.get(parent) ?? []), path]);
  }
  const lines = [...blocked].map(
    ([d, ps]) =>
      `${relative(dir, d) || '.'} is not writable (permission denied), but ${ps[0]}${ps.length > 1 ? ` and ${ps.length - 1} more` : ''} must change there`,
  );
  if (lines.length) throw new TargetError(dir, lines);
}
