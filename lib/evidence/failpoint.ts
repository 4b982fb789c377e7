// Fault injection for the tests that kill an export at a chosen moment (a "failpoint", as etcd and TiKV
// call them). With APILEDGER_FAILPOINT naming this point the process says so on stderr and then waits
// forever, so a test can SIGKILL it exactly there instead of racing a few milliseconds of work. Unset
// (always, outside those tests) it does nothing.
export async function failpoint(name: string): Promise<void> {
  if (process.env.APILEDGER_FAILPOINT !== name) return;
  process.stderr.write(`failpoint ${name} reached\n`);
  // A timer, not a bare pending promise: with no handle left (better-sqlite3 is synchronous) Node would
  // end the process (exit 13, unsettled top-level await) while a signal handler was still recording.
  await new Promise(() => setInterval(() => {}, 60_000));
}
