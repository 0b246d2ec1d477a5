/**
 * Fault injection for the crash tests: with CREATE_CANARY_PIPELINE_FAULT=kill-after:N in the
 * environment, the process sends itself SIGKILL right after its N-th change to the disk (a written,
 * renamed or deleted file), the way `kill -9` or a power cut would stop it. Unset, it does nothing.
 */
let changes = 0;

/** Called after every disk change the run makes. */
export function diskChanged(): void {
  const spec = process.env.CREATE_CANARY_PIPELINE_FAULT;
  if (spec === undefined) return;
  const m = /^kill-after:([1-9][0-9]*)$/.exec(spec);
  changes += 1;
  if (m && changes >= Number(m[1])) process.kill(process.pid, 'SIGKILL');
}
