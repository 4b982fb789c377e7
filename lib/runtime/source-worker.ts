import "server-only";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker the server's bundler must not follow: to Turbopack, `new Worker(<a variable>)` names every
 * file of the project as a possible entry, and the build fails on them.
 */
export const unbundledWorker = (entry: string, options: WorkerOptions) =>
  Reflect.construct(Worker, [entry, options]) as Worker;

/**
 * A worker thread running the TypeScript module `file` beside the module at `moduleUrl` (its
 * import.meta.url, ending in `/<moduleName>`), with tsx's loader: the server runs under tsx (`npm start`),
 * and its bundler gives a module the source's own URL. tsx is registered in the worker first: a worker
 * is not given the process's --import. Not `new Worker(new URL(…))`, which Turbopack would bundle into a
 * chunk that is never run (nor `new URL("./…", import.meta.url)`, which bundlers turn into an asset's URL).
 */
export function sourceWorker(moduleUrl: string, moduleName: string, file: string, options: WorkerOptions): Worker {
  if (!moduleUrl.endsWith(`/${moduleName}`)) throw new Error(`No worker source beside ${moduleUrl}`);
  const source = JSON.stringify(`${moduleUrl.slice(0, -moduleName.length)}${file}`);
  const load = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${source}); })`;
  return unbundledWorker(load, { ...options, eval: true });
}
