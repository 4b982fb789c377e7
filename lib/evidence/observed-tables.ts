import "server-only";
import { db } from "@/lib/db/client";
import { addCalls, type Seen } from "@/lib/observed/record-access";
import { observedGrantFlags, unknownCallerFlag, type Observed } from "@/lib/observed/flags";
import { iso, type Table, type TableContext } from "@/lib/evidence/table";

/**
 * Observed versus granted for the period (issue 17): per in-scope API, each recorded grant and each
 * caller the gateways named, with what the period's raw events show of its use and the flags an access
 * review would see, judged at the period's end.
 */
export function observedAccessTable(ctx: TableContext): Table {
  return {
    name: "observed-access",
    title: "Observed versus granted access",
    description:
      "Per API and caller: every recorded grant and every client id the gateways reported in the period, with its calls by method class (GET, HEAD and OPTIONS read; POST, PUT, PATCH and DELETE write), refusals, first and last call, last successful call and last successful write, and the flags judged at the period's end (UNUSED, WRITE_UNUSED, CALLED_AFTER_EXPIRY, UNKNOWN_CALLER). From the period's raw events; events already rolled up into daily counts are not broken down here.",
    columns: [
      "apiId",
      "clientId",
      "recordedGrant",
      "canModify",
      "calls",
      "reads",
      "writes",
      "failures",
      "firstAt",
      "lastAt",
      "lastSuccessAt",
      "lastWriteAt",
      "flags",
    ],
    rows: async function* () {
      const inScope = ctx.apiIds ? { apiId: { in: ctx.apiIds } } : {};
      const groups = await db.authEvent.groupBy({
        by: ["apiId", "clientId", "method", "outcome"],
        where: { at: { gte: ctx.scope.from, lt: ctx.scope.to }, ...inScope },
        _count: { _all: true },
        _min: { at: true },
        _max: { at: true },
      });
      const seen = new Map<string, Seen>();
      for (const g of groups)
        addCalls(seen, {
          api: g.apiId,
          clientId: g.clientId,
          method: g.method,
          outcome: g.outcome,
          first: g._min.at!,
          last: g._max.at!,
          count: g._count._all,
        });
      const grants = await db.apiClient.findMany({
        where: { ...inScope, api: { deletedAt: null } },
        orderBy: [{ apiId: "asc" }, { name: "asc" }],
      });
      const since = new Map<string, Date>();
      for (const s of seen.values()) {
        const first = since.get(s.apiId);
        if (!first || s.firstAt < first) since.set(s.apiId, s.firstAt);
      }
      const judgedAt = ctx.scope.to < ctx.now ? ctx.scope.to : ctx.now;
      const rows = grants.map((g) => {
        const s = seen.get(`${g.apiId}\u0000${g.name}`) ?? null;
        seen.delete(`${g.apiId}\u0000${g.name}`);
        const flags = observedGrantFlags(
          { ...g, grantedAt: g.approvedAt ?? g.credentialIssuedAt ?? g.createdAt },
          s,
          since.get(g.apiId) ?? null,
          judgedAt,
        );
        return row(
          g.apiId,
          g.name,
          true,
          g.canModify,
          s,
          flags.map((f) => f.kind),
        );
      });
      for (const s of seen.values())
        rows.push(row(s.apiId, s.clientId, false, null, s, s.clientId ? [unknownCallerFlag(s).kind] : []));
      rows.sort((a, b) => a.apiId.localeCompare(b.apiId) || a.clientId.localeCompare(b.clientId));
      yield* rows;
    },
  };
}

function row(
  apiId: string,
  clientId: string,
  recordedGrant: boolean,
  canModify: boolean | null,
  s: Observed | null,
  flags: string[],
) {
  return {
    apiId,
    clientId,
    recordedGrant,
    canModify,
    calls: s?.calls ?? 0,
    reads: s?.reads ?? 0,
    writes: s?.writes ?? 0,
    failures: s?.failures ?? 0,
    firstAt: iso(s?.firstAt ?? null),
    lastAt: iso(s?.lastAt ?? null),
    lastSuccessAt: iso(s?.lastSuccessAt ?? null),
    lastWriteAt: iso(s?.lastWriteAt ?? null),
    flags: flags.join(" "),
  };
}
