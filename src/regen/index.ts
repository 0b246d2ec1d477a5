/** Regeneration engine: saved state, reconcile (pure), apply (I/O), summary. */
export { STATE_KEY, SCHEMA_VERSION, STATE_FILE, readSavedState, writeSavedState } from './state.js';
export type { ManifestEntry, Manifest, SavedState } from './state.js';
export { reconcile } from './reconcile.js';
export type { ReconcileInput, Action, FileOutcome } from './reconcile.js';
export type { PlannedFile } from '../plan/file-spec.js';
export { applyOutcomes, ApplyError, diskReader, formatOutcomes } from './apply.js';
export type { ApplyResult } from './apply.js';
