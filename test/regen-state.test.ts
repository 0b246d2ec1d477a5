/** .yo-rc.json: read/validate, atomic write that keeps other keys, no rewrite when unchanged. */
import { mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, STATE_KEY, readSavedState, writeSavedState, type SavedState } from '../src/regen/state.js';

const HASH = 'a'.repeat(64);
const STATE: SavedState = {
  schemaVersion: SCHEMA_VERSION,
  generatorVersion: '0.1.0',
  answers: { canaryPercent: 10, deploymentEngine: 'ecs' },
  manifest: { 'z.tf': { kind: 'managed', sha256: HASH }, 'a.json': { kind: 'seed', sha256: HASH } },
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ccp-state-'));
}
function rc(dir: string, value: unknown): void {
  writeFileSync(join(dir, '.yo-rc.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('readSavedState / writeSavedState', () => {
  it('round-trips and keeps other generators’ keys', () => {
    const dir = tmp();
    rc(dir, { 'generator-other': { x: 1 } });
    expect(writeSavedState(dir, STATE)).toBe(true);
    expect(readSavedState(dir)).toEqual(STATE);
    const json = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
    expect(json['generator-other']).toEqual({ x: 1 });
    expect(Object.keys(json[STATE_KEY].manifest)).toEqual(['a.json', 'z.tf']);
    expect(readdirSync(dir)).toEqual(['.yo-rc.json']);
  });

  it('does not rewrite an identical state (mtime untouched)', () => {
    const dir = tmp();
    writeSavedState(dir, STATE);
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(dir, '.yo-rc.json'), past, past);
    expect(
      writeSavedState(dir, {
        ...STATE,
        manifest: { 'a.json': STATE.manifest['a.json']!, 'z.tf': STATE.manifest['z.tf']! },
      }),
    ).toBe(false);
    expect(statSync(join(dir, '.yo-rc.json')).mtime.getTime()).toBe(past.getTime());
  });

  it('is undefined without a file or without our key', () => {
    const dir = tmp();
    expect(readSavedState(dir)).toBeUndefined();
    rc(dir, { other: {} });
    expect(readSavedState(dir)).toBeUndefined();
  });

  it.each([
    ['{ not json', /\.yo-rc\.json.*JSON|Cannot read .*\.yo-rc\.json/],
    ['[1, 2]', /\.yo-rc\.json: expected a JSON object/],
    [{ [STATE_KEY]: 'x' }, /\.yo-rc\.json: "create-canary-pipeline" must be an object/],
    [{ [STATE_KEY]: { ...STATE, schemaVersion: 99 } }, /schemaVersion is 99, written by a newer/],
    [{ [STATE_KEY]: { ...STATE, schemaVersion: '1' } }, /schemaVersion must be a positive integer/],
    [{ [STATE_KEY]: { ...STATE, answers: [] } }, /answers must be an object/],
    [
      { [STATE_KEY]: { ...STATE, manifest: { 'a.tf': { kind: 'weird', sha256: HASH } } } },
      /manifest\["a\.tf"\] must be/,
    ],
    [
      { [STATE_KEY]: { ...STATE, manifest: { 'a.tf': { kind: 'managed', sha256: 'short' } } } },
      /manifest\["a\.tf"\] must be/,
    ],
  ])('rejects %j with a message naming the file', (content, message) => {
    const dir = tmp();
    rc(dir, content);
    expect(() => readSavedState(dir)).toThrow(message);
    expect(() => readSavedState(dir)).toThrow(join(dir, '.yo-rc.json'));
  });

  it('refuses to overwrite an unreadable .yo-rc.json', () => {
    const dir = tmp();
    rc(dir, '{ broken');
    expect(() => writeSavedState(dir, STATE)).toThrow(/Cannot read/);
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toBe('{ broken');
  });
});
