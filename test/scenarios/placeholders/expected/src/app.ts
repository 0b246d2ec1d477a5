/**
 * The Express application: routes and middleware, no listening. src/server.ts creates the clients,
 * listens and handles shutdown; tests can build the app without a network port.
 */
import express, { type Express } from 'express';
import type pg from 'pg';
import type { createClient } from 'redis';
import { healthRouter, type HealthOptions } from './health.js';

/** What the app needs from the outside world; src/server.ts builds it. */
export interface AppDeps {
  /** Readiness probes and the draining flag for the health routes. */
  readonly health: HealthOptions;
  /** PostgreSQL connection pool for your routes. */
  readonly db: pg.Pool;
  /** Redis client for your routes. */
  readonly cache: ReturnType<typeof createClient>;
}

/** Build the application. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  // First, so health checks never pass through (or wait on) other middleware.
  app.use(healthRouter(deps.health));

  app.use(express.json({ limit: '100kb' }));

  // Example route: replace with your own.
  app.get('/', (_req, res) => {
    res.json({ service: 'orders', message: 'hello' });
  });

  return app;
}
