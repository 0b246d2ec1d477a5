/** Manual instructions for when the app code cannot be patched safely: exact lines to add by hand. */
import type { AdoptFacts } from './facts.js';

/** `reason`, then the exact lines that wire the generated health module in by hand. */
export function manualInstructions(facts: AdoptFacts, reason: string): string {
  const module = facts.layout.healthModule;
  // ES modules need the runtime extension; CommonJS resolves without one (but not .mjs/.cjs).
  const stem = module.replace(/\.(ts|js)$/, '');
  const spec = `./${stem === module ? module : facts.moduleSystem === 'esm' ? `${stem}.js` : stem}`;
  const load =
    facts.moduleSystem === 'esm' || facts.typescript
      ? `import { healthRouter, drainOnSigterm } from '${spec}';`
      : `const { healthRouter, drainOnSigterm } = require('${spec}');`;
  return [
    `${reason}. Your code was not changed; wire in ${module} by hand:`,
    `  1. In the file that creates the Express app, load it (path relative to that file; shown from the project root):`,
    `       ${load}`,
    '     and mount it right after `const app = express()`, before any other middleware, router, 404 or error handler:',
    '       app.use(healthRouter());',
    '  2. Where the server starts, set keep-alive above the ALB timeout and drain on SIGTERM:',
    '       drainOnSigterm(app.listen(port));   // or: drainOnSigterm(server) after const server = http.createServer(app)',
    '  The ALB and the container health check call GET /livez; deploy checks call GET /readyz.',
  ].join('\n');
}
