/**
 * The Express application: routes and middleware, no listening. src/server.js creates the clients,
 * listens and handles shutdown; tests can build the app without a network port.
 */
import express from 'express';
import { healthRouter } from './health.js';

/**
 * What the app needs from the outside world; src/server.js builds it.
 * @typedef {object} AppDeps
 * @property {import('./health.js').HealthOptions} health Readiness probes and the draining flag for the health routes.
 * @property {import('pg').Pool} db PostgreSQL connection pool for your routes.
 * @property {ReturnType<typeof import('redis').createClient>} cache Redis client for your routes.
 */

/**
 * Build the application.
 * @param {AppDeps} deps
 * @returns {import('express').Express}
 */
export function createApp(deps) {
  const app = express();
  app.disable('x-powered-by');

  // First, so health checks never pass through (or wait on) other middleware.
  app.use(healthRouter(deps.health));

  app.use(express.json({ limit: '100kb' }));

  // Example route: replace with your own.
  app.get('/', (_req, res) => {
    res.json({ service: 'api', message: 'hello' });
  });

  return app;
}
