import { logError } from "@/lib/log/logger";
// Work that must finish before the server process exits (the REST call log's buffer, for one). The
// registry lives on globalThis because the HTTP server and the route handlers that register work are
// loaded as separate module instances (the server by tsx, the handlers from Next's build).
type ShutdownTask = { name: string; run: () => Promise<void> };

const registry = globalThis as unknown as { apiledgerShutdown?: ShutdownTask[] };

/** Registers work to run on a graceful stop (SIGTERM/SIGINT); registering the same name again replaces it. */
export function onShutdown(name: string, run: () => Promise<void>): void {
  const tasks = (registry.apiledgerShutdown ??= []);
  const i = tasks.findIndex((t) => t.name === name);
  if (i >= 0) tasks[i] = { name, run };
  else tasks.push({ name, run });
}

/** Runs every registered task (each at most `timeoutMs`), reporting failures instead of throwing. */
export async function runShutdown(timeoutMs = 10_000): Promise<void> {
  for (const task of registry.apiledgerShutdown ?? []) {
    try {
      await Promise.race([
        task.run(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs).unref()),
      ]);
    } catch (error) {
      logError("shutdown task failed", error, { task: task.name });
    }
  }
}
