import "server-only";
import { text } from "node:stream/consumers";
import { stringify } from "yaml";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { RECORD_SELECT, toApiRecord } from "@/lib/apis/queries";
import { blobStore } from "@/lib/storage/blob-store";
import { entityName, toEntity, toGroupEntity } from "@/lib/backstage/entity";

/**
 * The inventory (optionally one team's) as a Backstage catalog: one YAML document per entity — a Group
 * for each team that owns one of the APIs, so every spec.owner resolves, then one kind: API per API.
 * Entity names are unique within the catalog: when two APIs' names give the same entity name
 * ("Payments Ledger API", "Payments-Ledger API"), the later ones get a suffix from their id.
 */
export async function exportCatalog(actor: Actor | null, teamId: string | null): Promise<string> {
  requirePermission(actor, "api:export");
  const apis = await db.api.findMany({
    where: { deletedAt: null, ...(teamId ? { teamId } : {}) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { ...RECORD_SELECT, description: { select: { fileSha256: true } } },
  });
  const teams = await db.team.findMany({
    where: { id: { in: [...new Set(apis.map((a) => a.team.id))] } },
    orderBy: { name: "asc" },
    select: { name: true, description: true },
  });
  const docs: string[] = teams.map((t) => stringify(toGroupEntity(t), { lineWidth: 0 }));
  const used = new Set<string>();
  for (const a of apis) {
    const definition = a.description
      ? { type: "openapi", text: await text(await blobStore().open(a.description.fileSha256)) }
      : null;
    let name = entityName(a.name);
    if (used.has(name)) {
      const suffix = `-${a.id
        .slice(-8)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")}`;
      name = `${name.slice(0, 63 - suffix.length).replace(/[-_.]+$/, "")}${suffix}`;
    }
    used.add(name);
    docs.push(stringify(toEntity(toApiRecord(a), definition, name), { lineWidth: 0 }));
  }
  return docs.map((d) => `---\n${d}`).join("");
}
