import { z } from "zod";
import { ROLES } from "@/lib/authz/policy";
import { nameRule } from "@/lib/input/validation";

export const ZEmail = z
  .string({ error: "Email must be text." })
  .trim()
  .toLowerCase()
  .max(320, "Email is too long.")
  .email("Enter a valid email address.");

export const ZUserCreate = z
  .object({
    email: ZEmail,
    name: z
      .string()
      .trim()
      .min(1, "Name is required.")
      .max(120, "Name must be at most 120 characters.")
      .superRefine(nameRule("Name")),
    role: z.enum(ROLES, { error: "Choose a valid role." }),
    teamId: z.string().trim().max(64),
  })
  .strict();
export type TUserCreate = z.infer<typeof ZUserCreate>;

export const ZUserUpdate = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name is required.")
      .max(120, "Name must be at most 120 characters.")
      .superRefine(nameRule("Name")),
    role: z.enum(ROLES, { error: "Choose a valid role." }),
    teamId: z.string().trim().max(64),
    isActive: z.boolean({ error: "Say whether the account is active." }),
  })
  .strict();
export type TUserUpdate = z.infer<typeof ZUserUpdate>;

export const ROLE_LABELS = {
  ADMIN: "Admin",
  SYSTEM_OWNER: "System owner",
  MANAGER: "Manager",
  AUDITOR: "Auditor",
} as const;
