import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\/(.*)$/, replacement: path.resolve(import.meta.dirname, "$1") },
      // Next resolves "server-only" to an empty module on the server; tests run server code directly.
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "prisma/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Three on 2 cores: many files mostly wait on the servers and child processes they start. Measured on
    // this machine: the whole run took 8.4 min with three (the cores still 18% idle), 13.7 min with two.
    maxWorkers: 3,
  },
});
