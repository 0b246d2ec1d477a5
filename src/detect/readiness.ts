/** Readiness facts of an adopted service: the client sites /readyz probes, and clients it cannot. */
import type * as t from '@babel/types';
import { majorFromRange, type Manifest } from './manifest.js';
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
export function detectReadiness(graph: ReadonlyMap<string, t.File>, m: Manifest, engine: string | undefined, noImplicitAny = false): { sites: ReadinessSite[]; unwired: UnwiredSite[] } {
  const sites: ReadinessSite[] = [];
  const unwired: UnwiredSite[] = [];
  for (const [file, ast] of graph) {
    const found = findClientSites(ast, probeStyle(file, m, engine, noImplicitAny));
    sites.push(...found.sites.map(({ role, client, binding, probe, line }) => ({ role, client, file, binding, probe, line })));
    unwired.push(...found.unwired.map((u) => ({ ...u, file })));
  }
  return { sites, unwired };
}
