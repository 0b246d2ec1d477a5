/**
 * compose.yaml: what `docker compose config` would reject, without Docker. dclint validates the file
 * against the Compose Specification's JSON schema (unknown keys, wrong types) and applies its lint
 * rules (explicit image tags, quoted ports, key order…); on top of that the checks `docker compose
 * config` makes beyond the schema for the keys the generator uses: named volumes are declared,
 * depends_on names services, every service has an image or a build, port mappings and health-check
 * durations parse, and no `$` is left to variable interpolation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { finding, type Finding } from './finding.js';

/** A compose service, as far as these checks read it. */
interface Service {
  readonly image?: unknown;
  readonly build?: unknown;
  readonly volumes?: unknown;
  readonly ports?: unknown;
  readonly depends_on?: unknown;
  readonly healthcheck?: Readonly<Record<string, unknown>>;
}

interface ComposeFile {
  readonly services?: Readonly<Record<string, Service>>;
  readonly volumes?: Readonly<Record<string, unknown>> | null;
}

const HINT_SPEC = 'see https://github.com/compose-spec/compose-spec/blob/main/spec.md';
const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;

/** What dclint's lintFiles returns (its bundled .d.ts files do not resolve under NodeNext). */
interface LintResult {
  readonly messages: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly line: number }>;
}

function dclintFindings(dir: string, file: string): Finding[] {
  // rules: {} keeps every rule at its default level.
  const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
  const results = linter.lintFiles([join(dir, file)], false) as LintResult[];
  return results.flatMap((r) =>
    r.messages.map((m) =>
      finding(
        file,
        m.line,
        `compose/${m.rule}`,
        m.message,
        m.rule === 'invalid-schema' ? HINT_SPEC : 'see the dclint rule docs',
      ),
    ),
  );
}

/** `[ip:]host:container[/proto]` or `container[/proto]` with valid port numbers (and IP). */
function validPortMapping(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value < 65536;
  if (typeof value !== 'string') return false;
  const m = /^(?:(?:(\[[0-9a-f:]+\]|[0-9.]+):)?(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(value);
  if (!m) return false;
  const ip = m[1]?.replace(/^\[|\]$/g, '');
  const ports = [m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  return (ip === undefined || isIP(ip) !== 0) && ports.every((p) => p > 0 && p < 65536);
}

/** Named volumes a service mounts (short syntax `name:/path`; bind mounts start with . / or ~). */
function namedVolumes(service: Service): string[] {
  const list = Array.isArray(service.volumes) ? service.volumes : [];
  return list.flatMap((v) => {
    const source =
      typeof v === 'string'
        ? v.split(':')[0]
        : (v as { type?: string; source?: string }).type === 'volume'
          ? (v as { source?: string }).source
          : undefined;
    return source && !/^[./~]/.test(source) ? [source] : [];
  });
}

function serviceFindings(file: string, name: string, s: Service, doc: ComposeFile): Finding[] {
  const out: Finding[] = [];
  const declaredVolumes = new Set(Object.keys(doc.volumes ?? {}));
  const services = new Set(Object.keys(doc.services ?? {}));
  if (s.image === undefined && s.build === undefined)
    out.push(
      finding(file, undefined, 'compose/no-image', `service ${name} has neither an image nor a build`, 'add image:'),
    );
  for (const v of namedVolumes(s)) {
    if (!declaredVolumes.has(v))
      out.push(
        finding(
          file,
          undefined,
          'compose/undefined-volume',
          `service ${name} refers to undefined volume ${v}`,
          'declare it under the top-level volumes:',
        ),
      );
  }
  const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys((s.depends_on as object | undefined) ?? {});
  for (const d of deps) {
    if (!services.has(String(d)))
      out.push(
        finding(
          file,
          undefined,
          'compose/undefined-service',
          `service ${name} depends on undefined service ${String(d)}`,
          'name a service of this file',
        ),
      );
  }
  for (const p of Array.isArray(s.ports) ? s.ports : []) {
    if (!validPortMapping(p))
      out.push(
        finding(
          file,
          undefined,
          'compose/port',
          `service ${name}: invalid port mapping ${JSON.stringify(p)}`,
          'use "[ip:]host:container"',
        ),
      );
  }
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
    const d = s.healthcheck?.[key];
    if (d !== undefined && !(typeof d === 'string' && DURATION.test(d)))
      out.push(
        finding(
          file,
          undefined,
          'compose/duration',
          `service ${name}: healthcheck.${key} ${JSON.stringify(d)} is not a duration`,
          'e.g. 2s, 1m30s',
        ),
      );
  }
  return out;
}

/** Every finding for one compose file (strict YAML parsing is done by the generic YAML check). */
export function validateComposeFile(dir: string, file: string): Finding[] {
  const text = readFileSync(join(dir, file), 'utf8');
  const lint = dclintFindings(dir, file);
  if (lint.some((f) => f.rule === 'compose/invalid-yaml' || f.rule === 'compose/invalid-schema')) return lint;
  const doc = parse(text) as ComposeFile;
  const interpolated = text
    .split('\n')
    .flatMap((line, i) =>
      /^\s*#/.test(line) || !/\$(?!\$)/.test(line.replace(/\$\$/g, ''))
        ? []
        : [
            finding(
              file,
              i + 1,
              'compose/interpolation',
              'a `$` would be replaced by variable interpolation',
              'write $$ for a literal $',
            ),
          ],
    );
  const services = Object.entries(doc.services ?? {}).flatMap(([name, s]) => serviceFindings(file, name, s, doc));
  return [...lint, ...interpolated, ...services];
}
