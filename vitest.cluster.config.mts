// The cluster proof (e2e/cluster, `npm run test:cluster`): its own stage of `npm test`, after the fault
// suite — two instances, a worker, HAProxy, PostgreSQL, SMTP and rsyslog, for about a minute and a half.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["e2e/cluster/**/*.cluster.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
