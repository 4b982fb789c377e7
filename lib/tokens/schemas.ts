import { z } from "zod";
import { TOKEN_SCOPES } from "@/lib/authz/policy";
import { nameRule } from "@/lib/input/validation";

export const SCOPE_LABELS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  "inventory:read": "Read the inventory (APIs, clients, controls)",
  "inventory:write": "Register, update and retire APIs",
  "clients:write": "Record clients and grants",
  "incidents:read": "Read incidents",
  "incidents:write": "Report and work incidents",
  "reviews:read": "Read access reviews",
  "events:read": "Read authentication events",
  "events:write": "Send authentication events",
  "evidence:read": "Download evidence bundles",
  "scim:provision": "Provision people and groups from the identity provider (SCIM; admins only)",
};

export const ZTokenInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Give the token a name (what it is for).")
      .max(100, "At most 100 characters.")
      .superRefine(nameRule("Name")),
    scopes: z
      .array(z.enum(TOKEN_SCOPES, { error: "Unknown scope." }))
      .min(1, "Choose at least one scope.")
      .max(TOKEN_SCOPES.length),
    teamId: z.string().max(64),
    expiresInDays: z.number({ error: "Give the lifetime in days." }).int("Use whole days.").min(1, "At least 1 day."),
  })
  .strict();
export type TTokenInput = z.infer<typeof ZTokenInput>;

export const ZServiceAccountInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Give the service account a name.")
      .max(100, "At most 100 characters.")
      .superRefine(nameRule("Name")),
    role: z.enum(["SYSTEM_OWNER", "MANAGER", "AUDITOR"], {
      error: "Choose system owner, manager or auditor (service accounts are never admins).",
    }),
    teamId: z.string().max(64),
  })
  .strict();
