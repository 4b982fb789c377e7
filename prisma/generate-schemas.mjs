#!/usr/bin/env node
// Writes one Prisma schema per provider from prisma/base.prisma, so both databases share one data model.
// The query compiler is provider-specific, hence two schemas and two generated clients.
// `--check` exits 1 (and writes nothing) when a committed schema differs from what base.prisma gives.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = fs.readFileSync(path.join(here, "base.prisma"), "utf8");

export const providers = {
  sqlite: { provider: "sqlite" },
  postgres: { provider: "postgresql" },
};

export function renderSchema(name) {
  const { provider } = providers[name];
  return `// GENERATED from prisma/base.prisma by prisma/generate-schemas.mjs — do not edit.

generator client {
  provider     = "prisma-client"
  output       = "../../lib/generated/prisma-${name}"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
}

${base}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  let stale = false;
  for (const name of Object.keys(providers)) {
    const file = path.join(here, name, "schema.prisma");
    const want = renderSchema(name);
    const have = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (have === want) continue;
    if (check) {
      stale = true;
      console.error(`${path.relative(process.cwd(), file)} is out of date with prisma/base.prisma`);
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, want);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
