import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, requireRolePermission, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { getSettings } from "@/lib/settings/queries";
import { resolveScope, type EvidenceScope } from "@/lib/evidence/scope";
import type { TableContext } from "@/lib/evidence/table";

/** The export of a bundle is recorded under this action; those entries are the bundles' custody trail. */
export const EXPORT_AUDIT_ACTION = "evidence.export";
/** Audit actions about bundles (requests, exports, stored files): none of them changes what a bundle holds. */
const EVIDENCE_AUDIT_PREFIX = "evidence.";

/**
 * Checks the scope and the right to export it: a clear message per bad field, and a token limited to
 * one team may export only a scope limited to that team (and APIs of it).
 */
export async function checkScope(
  actor: Actor | null,
  rawScope: unknown,
): Promise<{ scope: EvidenceScope; teamNames: string[] }> {
  requireRolePermission(actor, "evidence:export");
  const settings = await getSettings();
  const resolved = resolveScope(rawScope, settings.quarterStartMonth);
  if (!resolved.ok) throw new AppError("VALIDATION", "The scope is not valid; nothing was exported.", resolved.errors);
  const { scope } = resolved;
  requirePermission(actor, "evidence:export", { teamId: scopeTeam(scope) });
  const teams = await db.team.findMany({
    where: { id: { in: scope.teamIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const named = await db.api.findMany({ where: { id: { in: scope.apiIds } }, select: { id: true, teamId: true } });
  for (const api of named) requirePermission(actor, "evidence:export", { teamId: api.teamId });
  const errors: Record<string, string[]> = {};
  const missingTeams = scope.teamIds.filter((id) => !teams.some((t) => t.id === id));
  const missingApis = scope.apiIds.filter((id) => !named.some((a) => a.id === id));
  if (missingTeams.length) errors.teamIds = [`No team has the id ${missingTeams.slice(0, 5).join(", ")}.`];
  if (missingApis.length) errors.apiIds = [`No API has the id ${missingApis.slice(0, 5).join(", ")}.`];
  if (Object.keys(errors).length)
    throw new AppError("VALIDATION", "The scope names teams or APIs that do not exist; nothing was exported.", errors);
  return { scope, teamNames: teams.map((t) => t.name) };
}

/** The one team a scope is limited to, which is what a team-limited token may export. */
export function scopeTeam(scope: EvidenceScope): string | null {
  return scope.teamIds.length === 1 ? scope.teamIds[0]! : null;
}

/** Everything the parts of a bundle share: the checked scope, the snapshot time, who is who. */
export async function prepareExport(
  actor: Actor | null,
  rawScope: unknown,
  now: Date,
): Promise<TableContext & { teamNames: string[] }> {
  const { scope, teamNames } = await checkScope(actor, rawScope);
  // Deleted APIs count too: their reviews, incidents and events in the period are still evidence.
  let apiIds: string[] | null = null;
  if (scope.teamIds.length || scope.apiIds.length) {
    const ofTeams = scope.teamIds.length
      ? await db.api.findMany({ where: { teamId: { in: scope.teamIds } }, select: { id: true } })
      : [];
    apiIds = [...new Set([...ofTeams.map((a) => a.id), ...scope.apiIds])].sort();
  }
  const people = new Map(
    (await db.user.findMany({ select: { id: true, email: true, name: true } })).map((u) => [
      u.id,
      { email: u.email, name: u.name },
    ]),
  );
  return { scope, now, apiIds, people, auditHead: await auditHeadFor(), teamNames };
}

/**
 * The newest audit entry that is not about evidence bundles or checkpoints: exporting the same scope again, with
 * nothing changed but other exports in between, names the same entry and so gives the same bundle.
 */
async function auditHeadFor(): Promise<{ seq: number; hash: string; at: Date } | null> {
  // Checkpoints (every export signs one) say nothing about the organisation's data either.
  return db.auditEntry.findFirst({
    where: { NOT: [{ action: { startsWith: EVIDENCE_AUDIT_PREFIX } }, { action: { startsWith: "audit.checkpoint" } }] },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, at: true },
  });
}
