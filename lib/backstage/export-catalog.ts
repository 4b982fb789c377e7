import "server-only";
import { text } from "node:stream/consumers";
import { stringify } from "yaml";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { decodeList } from "@/lib/apis/codec";
import type { Lifecycle } from "@/lib/apis/enums";
import { blobStore } from "@/lib/storage/blob-store";
import { toEntity } from "@/lib/backstage/entity";

/** The inventory (optionally one team's) as a Backstage catalog: one kind: API entity per YAML document. */
export async function exportCatalog(actor: Actor | null, teamId: string | null): Promise<string> {
  requirePermission(actor, "api:export");
  const apis = await db.api.findMany({
    where: { deletedAt: null, ...(teamId ? { teamId } : {}) },
    orderBy: { name: "asc" },
    include: {
      team: { select: { name: true } },
      owner: { select: { email: true } },
      description: { select: { fileSha256: true } },
    },
  });
  const docs: string[] = [];
  for (const a of apis) {
    const definition = a.description
      ? { type: "openapi", text: await text(await blobStore().open(a.description.fileSha256)) }
      : null;
    const entity = toEntity(
      {
        id: a.id,
        name: a.name,
        purpose: a.purpose,
        businessFunction: a.businessFunction,
        lifecycle: a.lifecycle as Lifecycle,
        exposure: a.exposure,
        partnerLinkPrivate: a.partnerLinkPrivate,
        sensitivity: a.sensitivity,
        authMethods: decodeList(a.authMethods),
        authzModel: a.authzModel,
        modifiesData: a.modifiesData,
        readsNonPublic: a.readsNonPublic,
        centrallyLogged: a.centrallyLogged,
        loggingDestination: a.loggingDestination,
        tags: decodeList(a.tags),
        team: a.team,
        ownerEmail: a.owner?.email ?? null,
      },
      definition,
    );
    docs.push(stringify(entity, { lineWidth: 0 }));
  }
  return docs.map((d) => `---\n${d}`).join("");
}
