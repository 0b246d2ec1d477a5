/** The generated TypeScript service runs: own tests, health, readiness bounds, draining (issue 7). */
import { defineRuntimeSuite } from './support/runtime-suite.js';

defineRuntimeSuite('ts');
