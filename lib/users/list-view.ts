// The people list's view (client-safe): active people first, by name, email or last sign-in.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const USER_TABLE = defineTable({ sorts: ["name", "email", "lastSignInAt"], defaultSort: "name" });

export const parseUserView = (raw: SearchParamsRecord) => parseTableParams(raw, USER_TABLE);
export type UserView = ReturnType<typeof parseUserView>;
