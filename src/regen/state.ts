/**
 * Saved state in `.yo-rc.json` under the generator's key: what was answered and what was written.
 * The only regeneration module besides apply.ts that touches the disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileKind } from '../plan/file-spec.js';
import { writeFileAtomic } from './atomic-write.js';
import { isSafeRelativePath } from './safe-path.js';

/** Key of this generator's entry in `.yo-rc.json` (Yeoman's convention: the package name). */
export const STATE_KEY = 'create-canary-pipeline';
/** Version of the saved-state layout; bump with a migration when the layout changes. */
export const SCHEMA_VERSION = 1;
/** The state file's name inside the target directory. */
export const STATE_FILE = '.yo-rc.json';
/**
 * The generator's folder in the target: the upgrade base (committed with the repo). The lock and the
 * journal of a run in progress sit beside it as `<STATE_DIR>.lock` / `<STATE_DIR>.journal`.
 */
export const STATE_DIR = '.create-canary-pipeline';

/**
 * One written file. For managed files `sha256` is the hash of the text the generator produced
 * (not of a merged or conflicted file on disk): a file is "unedited" only when the disk still holds
 * exactly that text, so a user's merged edits or conflict resolution are never overwritten silently.
 */
export interface ManifestEntry {
  readonly kind: FileKind;
  readonly sha256: string;
}

/** Written files by path (relative, POSIX separators). */
export type Manifest = Readonly<Record<string, ManifestEntry>>;

/** Everything persisted between runs. Answers never hold secrets. */
export interface SavedState {
  readonly schemaVersion: number;
  readonly generatorVersion: string;
  readonly answers: Record<string, unknown>;
  readonly manifest: Manifest;
  /** Answers that still hold a built-in --example value (a later run warns until they are replaced). */
  readonly exampleValues?: readonly string[];
}

const KINDS: readonly string[] = ['managed', 'seed', 'patch'];
const ENTRY_KEYS: readonly string[] = ['schemaVersion', 'generatorVersion', 'answers', 'manifest', 'exampleValues'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse the whole file; throws naming the file when it is not a JSON object. */
function readJsonObject(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read ${file}: ${(e as Error).message.split('\n')[0]}.`);
  }
  if (!isRecord(parsed)) throw new Error(`Cannot read ${file}: expected a JSON object at the top level.`);
  return parsed;
}

/** Paths a manifest may never name: outside the target, inside .git, or the generator's own state. */
function manifestPathProblem(path: string): string | undefined {
  if (!isSafeRelativePath(path)) return 'is not a relative path inside the target directory';
  const first = path.split('/')[0]!;
  if (first === '.git') return 'is inside .git, which the generator never writes';
  if (path === STATE_FILE || first === STATE_DIR || path.startsWith(`${STATE_DIR}.`))
    return "is the generator's own state";
  return undefined;
}

function parseManifest(raw: unknown, where: string): Manifest {
  if (!isRecord(raw)) throw new Error(`${where}.manifest must be an object of { kind, sha256 } entries.`);
  const out: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(raw)) {
    const problem = manifestPathProblem(path);
    if (problem)
      throw new Error(`${where}.manifest["${path}"] ${problem}; the file was edited by hand or comes from elsewhere.`);
    const ok =
      isRecord(entry) &&
      KINDS.includes(entry.kind as string) &&
      typeof entry.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(entry.sha256);
    if (!ok)
      throw new Error(
        `${where}.manifest["${path}"] must be { "kind": "managed" | "seed" | "patch", "sha256": <64 hex digits> }.`,
      );
    out[path] = { kind: entry.kind as FileKind, sha256: entry.sha256 as string };
  }
  return out;
}

/** Validate the generator's entry; every message names the file and the key. */
function parseState(raw: unknown, file: string): SavedState {
  const where = `${file}: "${STATE_KEY}"`;
  if (!isRecord(raw)) throw new Error(`${where} must be an object.`);
  const { schemaVersion, generatorVersion, answers, manifest, exampleValues } = raw;
  const unknown = Object.keys(raw).filter((k) => !ENTRY_KEYS.includes(k));
  if (unknown.length)
    throw new Error(
      `${where} has unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected only ${ENTRY_KEYS.join(', ')}).`,
    );
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new Error(`${where}.schemaVersion must be a positive integer.`);
  }
  if (schemaVersion > SCHEMA_VERSION) {
    throw new Error(
      `${where}.schemaVersion is ${schemaVersion}, written by a newer create-canary-pipeline; this one understands ${SCHEMA_VERSION}. Upgrade the generator.`,
    );
  }
  if (typeof generatorVersion !== 'string' || !/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(generatorVersion))
    throw new Error(`${where}.generatorVersion must be a version string such as "0.1.0".`);
  if (!isRecord(answers)) throw new Error(`${where}.answers must be an object.`);
  if (
    exampleValues !== undefined &&
    !(Array.isArray(exampleValues) && exampleValues.every((k) => typeof k === 'string' && k in answers))
  ) {
    throw new Error(`${where}.exampleValues must be a list of keys of "answers".`);
  }
  const marks = exampleValues === undefined ? {} : { exampleValues: [...(exampleValues as string[])] };
  return {
    schemaVersion,
    generatorVersion,
    answers: { ...answers },
    manifest: parseManifest(manifest ?? {}, where),
    ...marks,
  };
}

/**
 * Read the saved state of `dir`; undefined when there is no `.yo-rc.json` or no entry for this
 * generator. Throws an Error naming the file when it is unreadable or the entry is malformed.
 */
export function readSavedState(dir: string): SavedState | undefined {
  const file = join(dir, STATE_FILE);
  const json = readJsonObject(file);
  if (json === undefined || json[STATE_KEY] === undefined) return undefined;
  return parseState(json[STATE_KEY], file);
}

/** Manifest with sorted keys, so an unchanged run serialises to the same bytes. */
function sortedManifest(manifest: Manifest): Manifest {
  return Object.fromEntries(
    Object.keys(manifest)
      .sort()
      .map((k) => [k, { kind: manifest[k]!.kind, sha256: manifest[k]!.sha256 }]),
  );
}

/**
 * The full text `.yo-rc.json` should have for `state` (every other top-level key kept), or undefined
 * when the file already holds exactly that.
 */
export function savedStateText(dir: string, state: SavedState): string | undefined {
  const file = join(dir, STATE_FILE);
  const json = readJsonObject(file) ?? {};
  const entry = {
    schemaVersion: state.schemaVersion,
    generatorVersion: state.generatorVersion,
    answers: state.answers,
    manifest: sortedManifest(state.manifest),
    ...(state.exampleValues?.length ? { exampleValues: state.exampleValues } : {}),
  };
  const text = `${JSON.stringify({ ...json, [STATE_KEY]: entry }, null, 2)}\n`;
  return existsSync(file) && readFileSync(file, 'utf8') === text ? undefined : text;
}

/**
 * Write the state atomically (temp file + rename), keeping every other top-level key of
 * `.yo-rc.json`. Call it LAST, after the files are on disk. Returns false (and leaves the file and its
 * mtime alone) when the content would be byte-identical.
 */
export function writeSavedState(dir: string, state: SavedState): boolean {
  const text = savedStateText(dir, state);
  if (text === undefined) return false;
  writeFileAtomic(join(dir, STATE_FILE), text);
  return true;
}
