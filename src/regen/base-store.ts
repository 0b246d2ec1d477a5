/**
 * The upgrade base: the text the generator last produced for every managed file, kept in the repo
 * (gzip-compressed JSON under the state folder) so that after a generator upgrade the user's edits
 * are merged three ways against what the OLD version generated, offline, as copier does. A stored text
 * is used only when its SHA-256 equals the manifest's record; anything else is ignored, never trusted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Manifest } from './state.js';
import { STATE_DIR } from './state.js';
import { sha256 } from './text.js';

/** Path of the store inside the target directory (committed with the repo). */
export const BASE_STORE = `${STATE_DIR}/base.json.gz`;
const FORMAT = 1;
/** Decompressed size limit: a real store is a few hundred KB; more is not ours (or a zip bomb). */
const MAX_BYTES = 32 * 1024 * 1024;

/** The decoded store. */
export interface BaseStore {
  /** Managed file path → the text generated for it last time. */
  readonly files: ReadonlyMap<string, string>;
}

/** Canonical JSON of a store (sorted paths), the unit of comparison: equal JSON = nothing to write. */
function canonical(store: BaseStore): string {
  const files = Object.fromEntries([...store.files.keys()].sort().map((k) => [k, store.files.get(k)!]));
  return JSON.stringify({ format: FORMAT, files });
}

/** The last JSON compressed and its bytes: a run asks for the same store twice (journal, then write). */
let lastEncoded: { readonly json: string; readonly bytes: Buffer } | undefined;

function compress(json: string): Buffer {
  // Level 4, the cheapest with lazy matching: on a full stack's 216 KB, 3.7 ms for 61.7 KB, where zlib's
  // default 6 takes 5.7-7.2 ms for 59.6 KB and level 1 2.9 ms for 69.0 KB (measured here, Node 20).
  if (lastEncoded?.json !== json) lastEncoded = { json, bytes: gzipSync(json, { level: 4 }) };
  return lastEncoded.bytes;
}

/** The bytes to write for `store`. */
export function encodeBaseStore(store: BaseStore): Buffer {
  return compress(canonical(store));
}

function decode(bytes: Buffer): BaseStore {
  const raw = JSON.parse(gunzipSync(bytes, { maxOutputLength: MAX_BYTES }).toString('utf8')) as Record<string, unknown>;
  const files = raw.files;
  if (raw.format !== FORMAT || typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new Error('unknown format');
  }
  const entries = Object.entries(files as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  return { files: new Map(entries) };
}

/** What reading the store found: the store, or why it is ignored (undefined `store` and `problem` = no store). */
export interface StoreRead {
  readonly store?: BaseStore;
  readonly bytes?: Buffer;
  readonly problem?: string;
}

/** Read the store of `dir`. A damaged store is reported and ignored, never fatal. */
export function readBaseStore(dir: string): StoreRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, BASE_STORE));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? {}
      : { problem: `${BASE_STORE} cannot be read (${code}); it was ignored` };
  }
  try {
    return { store: decode(bytes), bytes };
  } catch (e) {
    return {
      bytes,
      problem: `${BASE_STORE} is damaged (${(e as Error).message.split('\n')[0]}); it was ignored and will be rewritten`,
    };
  }
}

/** The stored texts that are exactly what the manifest says was generated (by hash). */
export function verifiedTexts(store: BaseStore | undefined, manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of store?.files ?? []) {
    const entry = manifest[path];
    if (entry?.kind === 'managed' && sha256(text) === entry.sha256) out.set(path, text);
  }
  return out;
}

/**
 * Bytes to write for the next store, or undefined when the one on disk already holds exactly this
 * (so a run that changes nothing writes nothing, whatever zlib build compressed the old bytes).
 */
export function nextStoreBytes(previous: StoreRead, next: BaseStore): Buffer | undefined {
  const json = canonical(next);
  if (previous.store && canonical(previous.store) === json) return undefined;
  return compress(json);
}
