import "server-only";
import { db } from "@/lib/db/client";
import { factsOf } from "@/lib/apis/api-data";
import { API_FIELD_KEYS, dataValue } from "@/lib/apis/record";
import { RECORD_SELECT, toApiRecord } from "@/lib/apis/queries";
import { evaluateControl, isInternetAccessible } from "@/lib/apis/rules";
import { CONTROLS } from "@/lib/ism/controls";
import { toClientRecord } from "@/lib/clients/client-data";
import { CLIENT_DATA_COLUMNS, clientDataRow } from "@/lib/clients/record";
import { paged, type Row, type Table, type TableContext } from "@/lib/evidence/table";

/** APIs that existed at the period's end (registered before it, not deleted by then), in scope. */
export function inventoryWhere(ctx: TableContext) {
  return {
    createdAt: { lt: ctx.scope.to },
    OR: [{ deletedAt: null }, { deletedAt: { gte: ctx.scope.to } }],
    ...(ctx.apiIds ? { id: { in: ctx.apiIds } } : {}),
  };
}

const pageOfApis = (ctx: TableContext) => (after: { id: string } | null, take: number) =>
  db.api.findMany({
    where: { ...inventoryWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: {
      ...RECORD_SELECT,
      specAnonReads: true,
      specAnonWrites: true,
      specAcceptedWrites: true,
      specAcceptedReads: true,
    },
  });

export async function inventoryTables(ctx: TableContext): Promise<Table[]> {
  // Every field of the API record (lib/apis/record.ts) as data, with what the bundle adds: whether the
  // rules count the API as internet-accessible, and whether it changed after the period's end.
  const inventory: Table = {
    name: "inventory",
    title: "API inventory",
    description:
      "Every API that existed at the end of the period: its purpose, owner, exposure, data sensitivity, authentication and authorisation. Values are those recorded at export; changedAfterPeriodEnd marks rows edited since (the audit log holds each change).",
    columns: [...API_FIELD_KEYS, "internetAccessible", "changedAfterPeriodEnd"],
    rows: async function* () {
      for await (const row of paged(pageOfApis(ctx))) {
        const record = toApiRecord(row);
        yield {
          ...Object.fromEntries(API_FIELD_KEYS.map((f) => [f, dataValue(f, record)])),
          internetAccessible: isInternetAccessible(row),
          changedAfterPeriodEnd: row.updatedAt >= ctx.scope.to,
        };
      }
    },
  };
  const clients: Table = {
    name: "clients",
    title: "Clients and grants",
    description:
      "Who can call each API in the inventory: every recorded client with its credential, scopes, approval, when it was last seen and the notes kept on it.",
    columns: ["apiId", "api", ...CLIENT_DATA_COLUMNS],
    rows: async function* () {
      const names = new Map<string, string>();
      for await (const a of paged((after: { id: string } | null, take: number) =>
        db.api.findMany({
          where: { ...inventoryWhere(ctx), ...(after ? { id: { gt: after.id } } : {}) },
          select: { id: true, name: true },
          orderBy: { id: "asc" },
          take,
        }),
      ))
        names.set(a.id, a.name);
      const page = (after: { apiId: string; id: string } | null, take: number) =>
        db.apiClient.findMany({
          where: {
            createdAt: { lt: ctx.scope.to },
            api: inventoryWhere(ctx),
            ...(after ? { OR: [{ apiId: { gt: after.apiId } }, { apiId: after.apiId, id: { gt: after.id } }] } : {}),
          },
          orderBy: [{ apiId: "asc" }, { id: "asc" }],
          take,
        });
      for await (const c of paged(page)) {
        yield { apiId: c.apiId, api: names.get(c.apiId) ?? null, ...clientDataRow(toClientRecord(c)) };
      }
    },
  };
  const evaluations: Table = {
    name: "control-evaluations",
    title: "Control evaluations",
    description:
      "Each API in the inventory judged against each ISM control in scope, with the reasons: met, not met, cannot be judged (facts missing) or not applicable.",
    columns: ["apiId", "api", "control", "status", "reasons", "warnings"],
    rows: async function* () {
      for await (const a of paged(pageOfApis(ctx))) {
        const facts = factsOf(a);
        for (const control of ctx.scope.controls) {
          const e = evaluateControl(control, facts);
          yield {
            apiId: a.id,
            api: a.name,
            control: CONTROLS[control].label,
            status: e.status,
            reasons: e.reasons.join(" "),
            warnings: e.warnings.join(" "),
          } satisfies Row;
        }
      }
    },
  };
  return [inventory, clients, evaluations];
}
