// One schema for a client's grant: the form, the CSV import and the server all validate with it.
import { z } from "zod";
import { CLIENT_KINDS, CREDENTIAL_TYPES } from "@/lib/clients/enums";
import { ZOptionalDate } from "@/lib/input/date-input";
import { nameRule } from "@/lib/input/validation";

export const ZScope = z
  .string()
  .trim()
  .min(1)
  .max(80, "Each scope must be at most 80 characters.")
  .refine((v) => !/[,;]/.test(v), "Scopes cannot contain commas or semicolons.");

/** What a grant allows: its scopes and whether it may modify data (also what a change-scope follow-up sets). */
export const ZGrantScope = z
  .object({
    scopes: z.array(ZScope).max(50, "At most 50 scopes."),
    canModify: z.boolean({ error: "Say whether the client may modify data." }),
  })
  .strict();
export type TGrantScope = z.infer<typeof ZGrantScope>;

export const ZClientInput = z
  .object({
    name: z
      .string({ error: "Client name must be text." })
      .trim()
      .min(1, "Client name is required.")
      .max(120, "Client name must be at most 120 characters.")
      .superRefine(nameRule("Client name")),
    kind: z.enum(CLIENT_KINDS, { error: "Choose a valid client kind." }),
    credentialType: z.enum(CREDENTIAL_TYPES, { error: "Choose a valid credential type." }),
    ...ZGrantScope.shape,
    approvedBy: z.string().trim().max(120, "Approver must be at most 120 characters."),
    approvedAt: ZOptionalDate("Approval date"),
    credentialIssuedAt: ZOptionalDate("Issue date"),
    credentialExpiresAt: ZOptionalDate("Expiry date"),
    credentialRotatedAt: ZOptionalDate("Last rotation date"),
    lastSeenAt: ZOptionalDate("Last seen date"),
    notes: z.string().trim().max(1000, "Notes must be at most 1000 characters."),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.credentialIssuedAt && v.credentialExpiresAt && v.credentialExpiresAt < v.credentialIssuedAt) {
      ctx.addIssue({
        code: "custom",
        path: ["credentialExpiresAt"],
        message: "The expiry date is before the issue date.",
      });
    }
    if (v.credentialIssuedAt && v.credentialRotatedAt && v.credentialRotatedAt < v.credentialIssuedAt) {
      ctx.addIssue({
        code: "custom",
        path: ["credentialRotatedAt"],
        message: "The last rotation is before the issue date.",
      });
    }
    if (v.approvedAt && !v.approvedBy) {
      ctx.addIssue({ code: "custom", path: ["approvedBy"], message: "Say who approved the grant." });
    }
  });
export type TClientInput = z.infer<typeof ZClientInput>;

export const EMPTY_CLIENT_INPUT: TClientInput = {
  name: "",
  kind: "SERVICE_ACCOUNT",
  credentialType: "CLIENT_CERTIFICATE",
  scopes: [],
  canModify: false,
  approvedBy: "",
  approvedAt: "",
  credentialIssuedAt: "",
  credentialExpiresAt: "",
  credentialRotatedAt: "",
  lastSeenAt: "",
  notes: "",
};
