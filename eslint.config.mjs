// ESLint (flat config), run by `npm run lint` and the first stage of `npm test`. Besides the
// recommended JavaScript, TypeScript and React hooks rules it encodes the architecture (ARCHITECTURE.md):
// which layer may import which, and the one write door. lib/testing/import-boundaries.test.ts proves a
// wrong import fails.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The database client and its drivers: only lib/ reads or writes data.
const DATABASE = [
  {
    name: "@/lib/db/client",
    message: "Pages and components read through lib/<domain>/queries.ts and write through server actions.",
  },
  { name: "better-sqlite3", message: "Only lib/ talks to the database." },
  { name: "pg", message: "Only lib/ talks to the database." },
];
const DATABASE_PATTERNS = [{ group: ["@/lib/generated/*", "@prisma/*"], message: "Only lib/ talks to the database." }];
// The writable client goes to one caller: every change passes the policy and lands in the audit chain.
const WRITABLE = {
  name: "@/lib/db/client",
  importNames: ["writableClientForAuthorizedWrite"],
  message: "Every write goes through authorizedWrite (lib/audit/authorized-write.ts): the policy and the audit chain.",
};
const UPWARD = [
  { group: ["@/app/*", "@/app"], message: "lib/ is the domain: it never imports routes or pages." },
  { group: ["@/components/*"], message: "lib/ is the domain: it never imports UI components." },
];

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".apiledger/**",
      "node_modules/**",
      "lib/generated/**",
      "tmp/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // No barrel files: import the file that defines the thing.
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "No barrel files: import the file that defines the thing." },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      "no-restricted-imports": ["error", { paths: DATABASE, patterns: DATABASE_PATTERNS }],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx,mts}", "prisma/**/*.{ts,mts}", "e2e/**/*.{ts,mts}", "proxy.ts"],
    ignores: ["lib/db/client.ts", "lib/db/client.test.ts", "lib/audit/authorized-write.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [WRITABLE], patterns: UPWARD }] },
  },
);
