import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { grantFlags } from "@/lib/clients/flags";
import { toClientRecord } from "@/lib/clients/client-data";
import { toClientView } from "@/lib/clients/record";
import { getSettings } from "@/lib/settings/queries";
import type { Sensitivity } from "@/lib/apis/enums";

/** An API's clients with their review flags. */
export async function listClients(actor: Actor | null, apiId: string, sensitivity: Sensitivity) {
  requirePermission(actor, "api:read");
  const [rows, settings] = await Promise.all([
    db.apiClient.findMany({ where: { apiId }, orderBy: { name: "asc" } }),
    getSettings(),
  ]);
  const now = new Date();
  const clients = rows.map((r) => toClientView(toClientRecord(r), grantFlags(r, sensitivity, settings, now)));
  // Most flags first: the grants that need a look lead the list (sort is stable, so names stay in order).
  return { clients: clients.sort((a, b) => b.flags.length - a.flags.length), settings };
}
