// The load suite (lib/**/*.load.ts, `npm run test:load`): latency bounds measured against a started
// server, so it runs as a stage of its own, one file at a time, with nothing else on the machine.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["lib/**/*.load.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
