// Fault injection for tests (a "failpoint", as etcd and TiKV call them). APILEDGER_FAILPOINT names the
// one point that fires in a process; unset (always, outside those tests) every point does nothing.

/**
 * Stops here: says so on stderr and then waits forever, so a test can SIGKILL the process exactly
 * there (the export custody test) instead of racing a few milliseconds of work.
 */
export async function failpoint(name: string): Promise<void> {
  if (process.env.APILEDGER_FAILPOINT !== name) return;
  process.stderr.write(`failpoint ${name} reached\n`);
  // A timer, not a bare pending promise: with no handle left (better-sqlite3 is synchronous) Node would
  // end the process (exit 13, unsettled top-level await) while a signal handler was still recording.
  await new Promise(() => setInterval(() => {}, 60_000));
}

/** Fails here: throws, as a query that broke would (the page-section boundaries test). */
export function failAt(name: string): void {
  if (process.env.APILEDGER_FAILPOINT === name) throw new Error(`failpoint ${name}`);
}
