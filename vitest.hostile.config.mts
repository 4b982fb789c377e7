import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The hostile-input suite (lib/hostile/*.suite.ts, `npm run test:hostile`): its own stage of `npm test`,
// after the end-to-end tests have built the app. One file per database, run side by side.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["lib/**/*.suite.ts"], testTimeout: 600_000, hookTimeout: 900_000, maxWorkers: 2 },
});
