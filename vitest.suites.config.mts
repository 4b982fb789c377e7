import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// Suites that attack a started production server (lib/**/*.suite.ts): their own stage of `npm test`,
// after the end-to-end tests have built the app. One file per database, run side by side.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["lib/**/*.suite.ts"], testTimeout: 600_000, hookTimeout: 900_000, maxWorkers: 2 },
});
