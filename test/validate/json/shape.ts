/**
 * Validate a JSON value against a botocore shape (committed extract of the ECS
 * RegisterTaskDefinition input): required and unknown members, types and enums, recursively.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Compact botocore shape: type, members, required, enum, list member, map value. */
interface Shape {
  readonly t: string;
  readonly m?: Readonly<Record<string, string>>;
  readonly r?: readonly string[];
  readonly e?: readonly string[];
  readonly l?: string;
  readonly v?: string;
}

interface ShapeFile {
  readonly root: string;
  readonly botocoreVersion: string;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** One mismatch: a JSON path (`containerDefinitions[0].image`), the key to locate it and a message. */
export interface ShapeProblem {
  readonly path: string;
  readonly key: string | undefined;
  readonly kind: 'missing' | 'unknown' | 'type' | 'enum';
  readonly message: string;
  /** For unknown members: the valid member names at that place. */
  readonly candidates?: readonly string[];
}

const DATA = fileURLToPath(new URL('../data/ecs-register-task-definition.json', import.meta.url));
let cached: ShapeFile | undefined;

function shapes(): ShapeFile {
  cached ??= JSON.parse(readFileSync(DATA, 'utf8')) as ShapeFile;
  return cached;
}

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
    case 'long':
      return Number.isInteger(v);
    case 'double':
    case 'float':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'timestamp':
      return typeof v === 'string' || typeof v === 'number';
    case 'list':
      return Array.isArray(v);
    case 'structure':
    case 'map':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return true;
  }
}

const describe = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

function check(v: unknown, shapeName: string, path: string, key: string | undefined, out: ShapeProblem[]): void {
  const shape = shapes().shapes[shapeName];
  if (!shape) return;
  if (!typeOk(shape.t, v)) {
    out.push({
      path,
      key,
      kind: 'type',
      message: `${path || '(root)'} must be ${shape.t === 'structure' ? 'an object' : `a ${shape.t}`} (${shapeName}), got ${describe(v)}`,
    });
    return;
  }
  if (shape.e && !shape.e.includes(v as string)) {
    out.push({ path, key, kind: 'enum', message: `${path} is ${JSON.stringify(v)}; allowed: ${shape.e.join(', ')}` });
  }
  if (shape.t === 'list' && shape.l)
    (v as unknown[]).forEach((item, i) => {
      check(item, shape.l as string, `${path}[${i}]`, key, out);
    });
  if (shape.t === 'map' && shape.v)
    for (const [k, item] of Object.entries(v as object)) check(item, shape.v, `${path}.${k}`, k, out);
  if (shape.t === 'structure') {
    const obj = v as Record<string, unknown>;
    const members = shape.m ?? {};
    for (const [k, item] of Object.entries(obj)) {
      const p = path ? `${path}.${k}` : k;
      const member = members[k];
      if (member === undefined)
        out.push({
          path: p,
          key: k,
          kind: 'unknown',
          message: `${p} is not a member of ${shapeName}`,
          candidates: Object.keys(members),
        });
      else check(item, member, p, k, out);
    }
    for (const r of shape.r ?? []) {
      if (!(r in obj))
        out.push({
          path,
          key,
          kind: 'missing',
          message: `${path || '(root)'} lacks required member "${r}" (${shapeName})`,
        });
    }
  }
}

/** Problems of `value` as a RegisterTaskDefinition request. */
export function checkTaskDefinition(value: unknown): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  check(value, shapes().root, '', undefined, out);
  return out;
}
