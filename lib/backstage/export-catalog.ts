import "server-only";
import { text } from "node:stream/consumers";
import { stringify } from "yaml";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { RECORD_SELECT, toApiRecord } from "@/lib/apis/queries";
import { blobStore } from "@/lib/storage/blob-store";
import { toEntity } from "@/lib/backstage/entity";

/** The inventory (optionally one team's) as a Backstage catalog: one kind: API entity per YAML document. */
export async function exportCatalog(actor: Actor | null, teamId: string | null): Promise<string> {
  requirePermission(actor, "api:export");
  const apis = await db.api.findMany({
    where: { deletedAt: null, ...(teamId ? { teamId } : {}) },
    orderBy: { name: "asc" },
    select: { ...RECORD_SELECT, description: { select: { fileSha256: true } } },
  });
  const docs: string[] = [];
  for (const a of apis) {
    const definition = a.description
      ? { type: "openapi", text: await text(await blobStore().open(a.description.fileSha256)) }
      : null;
    const entity = toEntity(toApiRecord(a), definition);
    docs.push(stringify(entity, { lineWidth: 0 }));
  }
  return docs.map((d) => `---\n${d}`).join("");
}
