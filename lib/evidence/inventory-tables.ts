import "server-only";
import { db } from "@/lib/db/client";
import { factsOf } from "@/lib/apis/api-data";
import { API_FIELD_KEYS, dataValue } from "@/lib/apis/record";
import { toApiRecord } from "@/lib/apis/queries";
import { changesBetween, statesAsOf, type StateAsOf } from "@/lib/audit/api-versions";
import { evaluateControl, isInternetAccessible } from "@/lib/apis/rules";
import { CONTROLS } from "@/lib/ism/controls";
import { toClientRecord } from "@/lib/clients/client-data";
import { CLIENT_DATA_COLUMNS, clientDataRow } from "@/lib/clients/record";
import { iso, paged, RELATION_PAGE, type Row, type Table, type TableContext } from "@/lib/evidence/table";

/** APIs that existed at the period's end (registered before it, not deleted by then), in scope. */
export function inventoryWhere(ctx: TableContext) {
  return {
    createdAt: { lt: ctx.scope.to },
    OR: [{ deletedAt: null }, { deletedAt: { gte: ctx.scope.to } }],
    ...(ctx.apiIds ? { id: { in: ctx.apiIds } } : {}),
  };
}

const pageOfIds = (ctx: TableContext) => (after: { id: string } | null, take: number) =>
  db.api.findMany({
    where: { ...inventoryWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: { id: true },
  });

/**
 * Each API of the inventory as it stood at the period's end (lib/audit/api-versions.ts), in id order: its
 * record and its clients from the last version stored before the end, or today's for an API with no
 * history from before it (recordedAt null). Read a page of ids at a time.
 */
export async function* inventoryAsOf(ctx: TableContext): AsyncIterable<StateAsOf> {
  let page: string[] = [];
  const flush = async function* () {
    const states = await statesAsOf(db, page, ctx.scope.to);
    for (const id of page) {
      const state = states.get(id);
      if (state) yield state;
    }
    page = [];
  };
  for await (const { id } of paged(pageOfIds(ctx), RELATION_PAGE)) {
    page.push(id);
    if (page.length === RELATION_PAGE) yield* flush();
  }
  yield* flush();
}

export async function inventoryTables(ctx: TableContext): Promise<Table[]> {
  // Every field of the API record (lib/apis/record.ts) as data, with what the bundle adds: whether the
  // rules count the API as internet-accessible, and which recorded state the values are.
  const inventory: Table = {
    name: "inventory",
    title: "API inventory",
    description:
      "Every API that existed at the end of the period, as it stood then: its purpose, owner, exposure, data sensitivity, authentication and authorisation. valuesAsOf says which state a row shows: period-end (the last change recorded before the end, at recordedAt) or export (the API has no recorded history from before the end, so its values are those at export). Changes made inside the period are in inventory-changes.",
    columns: [...API_FIELD_KEYS, "internetAccessible", "valuesAsOf", "recordedAt"],
    rows: async function* () {
      for await (const state of inventoryAsOf(ctx)) {
        const record = toApiRecord(state.api);
        yield {
          ...Object.fromEntries(API_FIELD_KEYS.map((f) => [f, dataValue(f, record)])),
          internetAccessible: isInternetAccessible(state.api),
          valuesAsOf: state.recordedAt ? "period-end" : "export",
          recordedAt: iso(state.recordedAt),
        };
      }
    },
  };
  const clients: Table = {
    name: "clients",
    title: "Clients and grants",
    description:
      "Who could call each API in the inventory at the end of the period: every client recorded then, with its credential, scopes, approval, when it was last seen (as recorded with the API's last change before the end) and the notes kept on it.",
    columns: ["apiId", "api", ...CLIENT_DATA_COLUMNS],
    rows: async function* () {
      for await (const state of inventoryAsOf(ctx)) {
        for (const c of state.clients) {
          if (c.createdAt >= ctx.scope.to) continue;
          yield { apiId: state.api.id, api: state.api.name, ...clientDataRow(toClientRecord(c)) };
        }
      }
    },
  };
  const evaluations: Table = {
    name: "control-evaluations",
    title: "Control evaluations",
    description:
      "Each API in the inventory judged as it stood at the end of the period against each ISM control in scope, with the reasons: met, not met, cannot be judged (facts missing) or not applicable.",
    columns: ["apiId", "api", "control", "status", "reasons", "warnings"],
    rows: async function* () {
      for await (const { api } of inventoryAsOf(ctx)) {
        const facts = factsOf(api);
        for (const control of ctx.scope.controls) {
          const e = evaluateControl(control, facts);
          yield {
            apiId: api.id,
            api: api.name,
            control: CONTROLS[control].label,
            status: e.status,
            reasons: e.reasons.join(" "),
            warnings: e.warnings.join(" "),
          } satisfies Row;
        }
      }
    },
  };
  const changes: Table = {
    name: "inventory-changes",
    title: "Inventory changes in the period",
    description:
      "Every recorded change to an API of the inventory or its clients made inside the period, in order: when, which API, the fields and clients it changed, and the hash of the audit-log entry that made it (in audit-log).",
    columns: ["at", "apiId", "api", "changed", "auditHash"],
    rows: async function* () {
      for await (const c of changesBetween(db, ctx.apiIds, ctx.scope.from, ctx.scope.to))
        yield { at: iso(c.at), apiId: c.apiId, api: c.name, changed: c.changed.join("; "), auditHash: c.auditHash };
    },
  };
  return [inventory, clients, evaluations, changes];
}
