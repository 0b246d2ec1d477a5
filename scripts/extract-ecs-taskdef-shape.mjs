#!/usr/bin/env node
/**
 * Extract the ECS RegisterTaskDefinition input shape from the botocore model shipped with the aws
 * CLI into test/validate/data/ecs-register-task-definition.json (used by the task-definition
 * validator in test/validate/json/). Only the shapes reachable from the request are kept, and of
 * each only what validation needs: type, members, required members, enum, list member, map value.
 *
 * Usage: node scripts/extract-ecs-taskdef-shape.mjs [path/to/botocore/data/ecs/2014-11-13]
 *   (default: asks python3 where botocore lives).
 *
 * Output: { source, botocoreVersion, root, shapes: { Name: { t, m?: {member: Shape}, r?: [..], e?: [..], l?: Shape, v?: Shape } } }
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/validate/data/ecs-register-task-definition.json');

function botocoreInfo() {
  const py = 'import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)';
  const [dir, version] = execFileSync('python3', ['-c', py], { encoding: 'utf8' }).trim().split('\n');
  return { dir: join(dir, 'data/ecs/2014-11-13'), version };
}

function readModel(dir) {
  const plain = join(dir, 'service-2.json');
  if (existsSync(plain)) return JSON.parse(readFileSync(plain, 'utf8'));
  return JSON.parse(gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8'));
}

/** Compact one botocore shape. */
function compact(shape) {
  const out = { t: shape.type };
  if (shape.type === 'structure') {
    out.m = Object.fromEntries(Object.entries(shape.members).map(([k, v]) => [k, v.shape]));
    if (shape.required?.length) out.r = shape.required;
  }
  if (shape.enum) out.e = shape.enum;
  if (shape.type === 'list') out.l = shape.member.shape;
  if (shape.type === 'map') out.v = shape.value.shape;
  return out;
}

function main() {
  const info = botocoreInfo();
  const dir = process.argv[2] ? resolve(process.argv[2]) : info.dir;
  const model = readModel(dir);
  const root = model.operations.RegisterTaskDefinition.input.shape;
  const shapes = {};
  const queue = [root];
  while (queue.length) {
    const name = queue.pop();
    if (shapes[name]) continue;
    const c = compact(model.shapes[name]);
    shapes[name] = c;
    queue.push(...Object.values(c.m ?? {}), ...(c.l ? [c.l] : []), ...(c.v ? [c.v] : []));
  }
  const sorted = Object.fromEntries(
    Object.keys(shapes)
      .sort()
      .map((k) => [k, shapes[k]]),
  );
  const data = {
    source: 'botocore data/ecs/2014-11-13/service-2.json',
    botocoreVersion: info.version,
    root,
    shapes: sorted,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(data)}\n`);
  console.log(`${Object.keys(shapes).length} shapes from botocore ${info.version} → ${OUT}`);
}

main();
