/**
 * Shell that more than one generated workflow runs (deploy.yml and the rollback drill), kept once in
 * templates/workflow-shell/*.sh and rendered into each `run:` block. Each script reads only its `env:`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../paths.js';

/** The alarm gate waits at most this long for a firing deployment alarm to clear. */
export const ALARM_GATE_MAX_WAIT_MINUTES = 10;
export const ALARM_GATE_POLL_SECONDS = 30;

/** The shared scripts, by name (file templates/workflow-shell/<name>.sh). */
export type ShellScript = 'alarm-gate' | 'wait-for-rollback';

/** A script's text without its leading comment block (the step's own comment says what it does). */
export function shellScript(name: ShellScript): string {
  const text = readFileSync(join(TEMPLATES_DIR, 'workflow-shell', `${name}.sh`), 'utf8');
  return text.replace(/^(#.*\n)+/, '').trimEnd();
}

/** Indent every line after the first by `spaces`: the body of a `run: |` block in a template. */
export function runBlock(script: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return script.split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n');
}
