// The architecture as lint rules (eslint.config.mjs): each wrong import below must fail `npm run lint`,
// and the right ones must pass — so a rule that stops matching (a renamed folder, a broken glob) fails here.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("import boundaries", () => {
  it.each([
    [
      "components/apis/wrong.tsx",
      'import { db } from "@/lib/db/client";\nexport const x = db;\n',
      /no-restricted-imports: .*lib\/<domain>\/queries/,
    ],
    [
      "app/(dashboard)/wrong/page.tsx",
      'import { PrismaClient } from "@prisma/client";\nexport const x = PrismaClient;\n',
      /no-restricted-imports: .*Only lib\//,
    ],
    [
      "app/(dashboard)/wrong/page.tsx",
      'import { x } from "@/lib/generated/sqlite/client";\nexport const y = x;\n',
      /no-restricted-imports: .*Only lib\//,
    ],
    [
      "lib/apis/wrong.ts",
      'import { writableClientForAuthorizedWrite } from "@/lib/db/client";\nexport const x = writableClientForAuthorizedWrite;\n',
      /no-restricted-imports: .*authorizedWrite/,
    ],
    [
      "lib/apis/wrong.ts",
      'import Page from "@/app/(dashboard)/page";\nexport const x = Page;\n',
      /no-restricted-imports: .*never imports routes/,
    ],
    [
      "lib/apis/wrong.ts",
      'import { ApiForm } from "@/components/apis/api-form";\nexport const x = ApiForm;\n',
      /no-restricted-imports: .*never imports UI/,
    ],
    ["lib/apis/index.ts", 'export * from "@/lib/apis/enums";\n', /no-restricted-syntax: No barrel files/],
  ])("%s: refuses %j", async (file, code, expected) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ["components/apis/right.tsx", 'import { LABELS } from "@/lib/apis/enums";\nexport const x = LABELS;\n'],
    [
      "lib/audit/authorized-write.ts",
      'import { writableClientForAuthorizedWrite } from "@/lib/db/client";\nexport const x = writableClientForAuthorizedWrite;\n',
    ],
    ["lib/apis/right.ts", 'import { db } from "@/lib/db/client";\nexport const x = db;\n'],
  ])("%s: allows the layer's own imports", async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
