// The fault suite (e2e/faults, `npm run test:faults`): its own stage, one scenario at a time, minutes
// per test. Same module resolution as the unit and integration tests.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["e2e/faults/**/*.fault.ts"],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
