/** Readiness facts of an adopted service: the client sites /readyz probes, and clients it cannot. */
import type * as t from '@babel/types';
import { majorFromRange, type Manifest } from './manifest.js';
import { bindingsOf } from './ast.js';
import { resolveSpecifier, type PathAliases } from './graph.js';
import { findClientSites, type ProbeStyle, type SiteRole } from './sites.js';

/** A module-level client the generator registers a readiness check for. */
export interface ReadinessSite {
  readonly role: SiteRole;
  readonly client: string;
  readonly file: string;
  readonly binding: string;
  readonly probe: string;
  readonly line: number;
}

/** A client the generator found but cannot probe safely, with the reason. */
export interface UnwiredSite {
  readonly role: SiteRole;
  readonly client: string;
  readonly file: string;
  readonly line: number;
  readonly why: string;
}

/** How probes are written for a file of this service. */
export function probeStyle(file: string, m: Manifest, engine: string | undefined, noImplicitAny = false): ProbeStyle {
  const redis = m.dependencies.redis;
  return {
    ts: /\.[cm]?tsx?$/.test(file),
    redisCallbacks: redis !== undefined && Number(majorFromRange(redis) ?? '4') < 4,
    prismaMongo: engine === 'mongodb',
    noImplicitAny,
  };
}

/** Every client site in the service's runtime graph (in graph order), and the clients left unwired. */
export function detectReadiness(
  graph: ReadonlyMap<string, t.File>,
  m: Manifest,
  engine: string | undefined,
  noImplicitAny = false,
  where?: { dir: string; paths: PathAliases },
): { sites: ReadinessSite[]; unwired: UnwiredSite[] } {
  const sites: ReadinessSite[] = [];
  const unwired: UnwiredSite[] = [];
  for (const [file, ast] of graph) {
    const found = findClientSites(ast, probeStyle(file, m, engine, noImplicitAny));
    sites.push(
      ...found.sites.map(({ role, client, binding, probe, line }) => ({ role, client, file, binding, probe, line })),
    );
    unwired.push(...found.unwired.map((u) => ({ ...u, file })));
    if (found.defaultExport) {
      const via = where ? defaultImporter(graph, file, where.dir, where.paths) : undefined;
      const d = found.defaultExport;
      if (via)
        sites.push({
          role: d.role,
          client: d.client,
          file: via.file,
          binding: via.binding,
          probe: d.probe(via.binding, probeStyle(via.file, m, engine, noImplicitAny)),
          line: via.line,
        });
      else
        unwired.push({
          role: d.role,
          client: d.client,
          file,
          line: d.line,
          why: "it is the module's default export and no file of the service imports it by name",
        });
    }
  }
  return { sites, unwired };
}

/** The first file of the graph that imports `target`'s default export, and the name it binds it to. */
function defaultImporter(
  graph: ReadonlyMap<string, t.File>,
  target: string,
  dir: string,
  paths: PathAliases,
): { file: string; binding: string; line: number } | undefined {
  for (const [file, ast] of graph) {
    if (file === target) continue;
    const names = bindingsOf(ast, (spec) => resolveSpecifier(dir, file, spec, paths) === target);
    const binding = [...names].find(([, imported]) => imported === 'default' || imported === '*')?.[0];
    const imported = ast.program.body.find(
      (s) =>
        s.type === 'ImportDeclaration' &&
        s.specifiers.some((sp) => sp.local.name === binding && sp.type === 'ImportDefaultSpecifier'),
    );
    if (binding && imported) return { file, binding, line: imported.loc?.start.line ?? 0 };
  }
  return undefined;
}
