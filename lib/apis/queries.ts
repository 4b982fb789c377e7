import "server-only";
import { db, dbProvider, placeholders, readRows } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { containsToken, decodeList } from "@/lib/db/list-column";
import { decodeEnvironments } from "@/lib/apis/codec";
import { isControlColumn, type ListParams, type SortField } from "@/lib/apis/list-params";
import type {
  AuthMethod,
  AuthzModel,
  ControlStatus,
  DataCategory,
  Exposure,
  Lifecycle,
  Sensitivity,
} from "@/lib/apis/enums";
import { API_FIELDS, API_FIELD_KEYS, API_LIST_FIELDS, type ApiRecord } from "@/lib/apis/record";
import { recordJson } from "@/lib/records/fields";
import { CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { apiTrafficState, quietCutoff, type ApiTrafficState, type TRAFFIC_STATES } from "@/lib/observed/flags";
import { trafficStateWhere } from "@/lib/observed/api-states";

type TrafficState = (typeof TRAFFIC_STATES)[number];
import { overallStatus } from "@/lib/apis/rules";
import { afterCursor, decodeCursor, encodeCursor, isEnumSort, sortValueOf } from "@/lib/apis/cursor";
import { specFactsOf } from "@/lib/apis/api-data";

const triToWhere = (v: string): boolean | null => (v === "unknown" ? null : v === "yes");

export function buildApiWhere(params: ListParams, now = new Date()): Prisma.ApiWhereInput {
  const and: Prisma.ApiWhereInput[] = [{ deletedAt: null }];
  const f = params.filters;
  if (f.lifecycle) and.push({ lifecycle: { in: f.lifecycle as never } });
  if (f.exposure) and.push({ exposure: { in: f.exposure as never } });
  if (f.sensitivity) and.push({ sensitivity: { in: f.sensitivity as never } });
  if (f.authzModel) {
    const known = f.authzModel.filter((v) => v !== "UNKNOWN");
    and.push({
      OR: [
        ...(known.length ? [{ authzModel: { in: known as never } }] : []),
        ...(f.authzModel.includes("UNKNOWN") ? [{ authzModel: null }] : []),
      ],
    });
  }
  if (f.authMethod) {
    and.push({
      OR: f.authMethod.map((m) =>
        m === "UNKNOWN" ? { authMethods: "" } : { authMethods: { contains: containsToken(m) } },
      ),
    });
  }
  if (f.dataCategory) and.push({ OR: f.dataCategory.map((c) => ({ dataCategories: { contains: containsToken(c) } })) });
  for (const key of ["modifiesData", "readsNonPublic", "centrallyLogged"] as const) {
    const values = f[key];
    if (values) and.push({ OR: values.map((v) => ({ [key]: triToWhere(v) })) });
  }
  for (const [key, values] of Object.entries(f)) {
    if (isControlColumn(key)) and.push({ [key]: { in: values } });
  }
  if (f.traffic) and.push({ OR: f.traffic.map((state) => trafficStateWhere(state as TrafficState, quietCutoff(now))) });
  if (params.teamIds.length) and.push({ teamId: { in: params.teamIds } });
  if (params.owner === "none") and.push({ ownerId: null });
  else if (params.owner) and.push({ ownerId: params.owner });
  if (params.tag) and.push({ tags: { contains: containsToken(params.tag) } });
  if (params.q) and.push({ searchText: { contains: params.q.toLowerCase() } });
  return { AND: and };
}

function orderBy(params: ListParams): Prisma.ApiOrderByWithRelationInput[] {
  const dir = params.desc ? "desc" : "asc";
  const primary: Prisma.ApiOrderByWithRelationInput =
    params.sort === "team"
      ? { team: { name: dir } }
      : params.sort === "owner"
        ? { owner: { name: dir } }
        : isEnumSort(params.sort)
          ? { [`${params.sort}Rank`]: dir }
          : { [params.sort]: dir };
  // The id tie-breaker keeps pages stable when many rows share a sort value; it runs in the sort's
  // direction so that the (column, id) index gives the order (lib/apis/cursor.ts afterCursor).
  return [primary, { id: dir }];
}

/** The stored status of each ISM control (lib/ism/controls.ts CONTROL_COLUMN). */
const CONTROL_SELECT = {
  ism1818: true,
  ism2013: true,
  ism1817: true,
  ism2014: true,
  ism1910: true,
  ism2015: true,
} as const satisfies Prisma.ApiSelect;

type RecordRow = Prisma.ApiGetPayload<{ select: typeof RECORD_SELECT }>;

/** What a list row adds to the record's list fields: the control statuses and whether any warns. */
function judged(row: { hasWarning: boolean }, controls: ReturnType<typeof toApiRecord>["controls"]) {
  return {
    hasWarning: row.hasWarning,
    controls,
    overall: overallStatus(Object.values(controls).map((status) => ({ status }))),
  };
}

/** An API in a list (the inventory page and the REST list): the record's list fields as JSON, judged. */
function toListDto(row: WideListRow) {
  const record = recordOf(row, LIST_OWN_FIELDS) as Pick<ApiRecord, ApiListField>;
  record.team = { id: row.team_id, name: row.team_name };
  record.owner =
    row.owner_id === null ? null : { id: row.owner_id, name: row.owner_name ?? "", email: row.owner_email ?? "" };
  const json = recordJson<ApiRecord, typeof API_FIELDS, ApiListField>(API_FIELDS, API_LIST_FIELDS, record);
  // Added one by one: Object.assign here turned every row into a dictionary-mode object (V8), which
  // JSON.stringify then writes on its slow path.
  const { hasWarning, controls, overall } = judged(row, controlsOf(row));
  const dto = json as typeof json & ReturnType<typeof judged>;
  dto.hasWarning = hasWarning;
  dto.controls = controls;
  dto.overall = overall;
  return dto;
}
export type ApiListRow = ReturnType<typeof toListDto>;
/** An inventory row: the list fields, and what gateway traffic says of the API (zombie, unused, or nothing). */
export type InventoryRow = ApiListRow & { traffic: ApiTrafficState };

export async function listApis(actor: Actor | null, params: ListParams, now = new Date()) {
  requirePermission(actor, "api:read");
  const where = buildApiWhere(params, now);
  const [total, rows] = await Promise.all([
    db.api.count({ where }),
    listRows(
      { where, orderBy: orderBy(params), skip: (params.page - 1) * params.pageSize, take: params.pageSize },
      params,
    ).then((page) => page.rows),
  ]);
  const lastCalls = await db.apiLastCall.findMany({ where: { apiId: { in: rows.map((r) => r.id) } } });
  const lastCall = new Map(lastCalls.map((l) => [l.apiId, l.lastAt]));
  return {
    total,
    rows: rows.map((r): InventoryRow => ({
      ...toListDto(r),
      traffic: apiTrafficState(r.lifecycle, lastCall.get(r.id) ?? null, now),
    })),
  };
}

/**
 * One page of the REST list: the same filters and sort as the UI, but paged by cursor (keyset), so a
 * client walking the pages never skips or repeats a row while others add or remove APIs.
 */
export async function listApisByCursor(actor: Actor | null, params: ListParams, cursor: string | null, limit: number) {
  requirePermission(actor, "api:read");
  const base = buildApiWhere(params);
  const where = cursor
    ? { AND: [base, afterCursor(decodeCursor(cursor, params.sort, params.desc), dbProvider())] }
    : base;
  const { keys, rows } = await listRows({ where, orderBy: orderBy(params), take: limit + 1 }, params);
  // The next page starts after the last row of this one as the first read ordered it.
  const last = keys.length > limit ? keys[limit - 1] : undefined;
  return {
    data: rows.filter((r) => r.id !== keys[limit]?.id).map(toListDto),
    nextCursor: last
      ? encodeCursor({
          s: params.sort,
          d: params.desc,
          v: sortValueOf(last, params.sort),
          i: last.id,
        })
      : null,
  };
}

/** The stored columns every field of the API record (lib/apis/record.ts) is read from. */
export const RECORD_SELECT = {
  id: true,
  name: true,
  purpose: true,
  businessFunction: true,
  team: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true, email: true } },
  lifecycle: true,
  environments: true,
  exposure: true,
  partnerLinkPrivate: true,
  readsNonPublic: true,
  modifiesData: true,
  sensitivity: true,
  dataCategories: true,
  authMethods: true,
  authzModel: true,
  authzRoles: true,
  centrallyLogged: true,
  loggingDestination: true,
  docsUrl: true,
  repoUrl: true,
  openapiUrl: true,
  tags: true,
  createdAt: true,
  updatedAt: true,
  ...CONTROL_SELECT,
} satisfies Prisma.ApiSelect;

type ApiListField = (typeof API_LIST_FIELDS)[number];

/**
 * What a list row reads: the columns of the list's fields (each field is stored under its own name, the
 * team and owner joined), the control statuses and the warning flag — not the rest of the record, whose
 * long texts, JSON and times cost a list on every REST call to read, convert and decode (measured).
 */
const LIST_SELECT = {
  ...(Object.fromEntries(API_LIST_FIELDS.map((f) => [f, RECORD_SELECT[f]])) as Pick<
    typeof RECORD_SELECT,
    ApiListField
  >),
  ...CONTROL_SELECT,
  hasWarning: true,
} satisfies Prisma.ApiSelect;
type ListRow = Prisma.ApiGetPayload<{ select: typeof LIST_SELECT }>;
const LIST_COLUMNS = Object.keys(LIST_SELECT).filter((k) => k !== "team" && k !== "owner");
/** The list's fields stored on the API's own row (the team and owner come joined, as columns of their own). */
const LIST_OWN_FIELDS = API_LIST_FIELDS.filter(
  (f): f is Exclude<ApiListField, "team" | "owner"> => f !== "team" && f !== "owner",
);
/** A list row as read: the API's list columns, with the team's and owner's beside them. */
type WideListRow = Omit<ListRow, "team" | "owner"> & {
  team_id: string;
  team_name: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
};

/** What the first read of a page takes beside the id: the sort's value, so a cursor is made from it. */
type SortKey = { id: string } & Parameters<typeof sortValueOf>[0];

/** The sort's column for the first read (each cell the model client maps costs: only the one a cursor needs). */
function sortKeySelect(sort: SortField): Prisma.ApiSelect {
  if (sort === "team") return { id: true, team: { select: { name: true } } };
  if (sort === "owner") return { id: true, owner: { select: { name: true } } };
  return { id: true, [sort]: true };
}

/**
 * A page of list rows in two reads: the ids (with the sort's value) through the model client (the one
 * filter, sort and cursor builder), then the wide rows by id in one statement with the team and owner
 * joined, read through the driver (lib/db/driver-read.ts). Read in one go through the model client, a
 * 50-row page took 4.1–4.7 ms (three queries, every cell mapped by the query interpreter); with the wide
 * rows through the model client's raw query 2.5–3.1 ms; the wide read alone takes 0.5 ms through the
 * driver against 1.3 ms through the raw query (each timed in one process on SQLite with 50,000 APIs). The two reads are not one snapshot, so the order and a cursor come from the
 * first (the second may see a row edited since), and the second asks again that the row is live and in
 * the teams asked for: a row deleted or moved to another team in between is left out, never shown.
 */
async function listRows(
  page: { where: Prisma.ApiWhereInput; orderBy: Prisma.ApiOrderByWithRelationInput[]; skip?: number; take: number },
  params: Pick<ListParams, "sort" | "teamIds">,
): Promise<{ keys: SortKey[]; rows: WideListRow[] }> {
  const keys = (await db.api.findMany({ ...page, select: sortKeySelect(params.sort) })) as SortKey[];
  if (!keys.length) return { keys, rows: [] };
  const ids = keys.map((k) => k.id);
  const inTeams = params.teamIds.length
    ? `AND a."teamId" IN (${placeholders(params.teamIds.length, ids.length + 1).join(", ")})`
    : "";
  const wide = await readRows<WideListRow>(
    `SELECT ${LIST_COLUMNS.map((c) => `a."${c}"`).join(", ")},
       t."id" AS "team_id", t."name" AS "team_name", u."id" AS "owner_id", u."name" AS "owner_name", u."email" AS "owner_email"
     FROM "Api" a JOIN "Team" t ON t."id" = a."teamId" LEFT JOIN "User" u ON u."id" = a."ownerId"
     WHERE a."id" IN (${placeholders(ids.length).join(", ")}) AND a."deletedAt" IS NULL ${inTeams}`,
    [...ids, ...params.teamIds],
  );
  // Left as read: adding the team and owner to rows of 30 columns cost 2 KB of garbage a row (measured).
  const byId = new Map<string, WideListRow>();
  for (const row of wide) byId.set(row.id, row);
  return { keys, rows: ids.flatMap((id) => byId.get(id) ?? []) };
}

function controlsOf(row: Pick<RecordRow, (typeof CONTROL_COLUMN)[keyof typeof CONTROL_COLUMN]>) {
  const controls = {} as Record<(typeof CONTROL_IDS)[number], ControlStatus>;
  for (const id of CONTROL_IDS) controls[id] = row[CONTROL_COLUMN[id]] as ControlStatus;
  return controls;
}

/**
 * How each field of the API record is read from its stored row, written once for the whole record and
 * for a list's fields. Every field is stored under its own name (the team and owner as joined rows), so a
 * field's reader needs only that column.
 */
const FROM_ROW: { [K in keyof ApiRecord]: (row: Pick<RecordRow, K>) => ApiRecord[K] } = {
  id: (row) => row.id,
  name: (row) => row.name,
  purpose: (row) => row.purpose,
  businessFunction: (row) => row.businessFunction,
  team: (row) => row.team,
  owner: (row) => row.owner,
  lifecycle: (row) => row.lifecycle as Lifecycle,
  environments: (row) => decodeEnvironments(row.environments),
  exposure: (row) => row.exposure as Exposure,
  partnerLinkPrivate: (row) => row.partnerLinkPrivate,
  readsNonPublic: (row) => row.readsNonPublic,
  modifiesData: (row) => row.modifiesData,
  sensitivity: (row) => row.sensitivity as Sensitivity,
  dataCategories: (row) => decodeList<DataCategory>(row.dataCategories),
  authMethods: (row) => decodeList<AuthMethod>(row.authMethods),
  authzModel: (row) => row.authzModel as AuthzModel | null,
  authzRoles: (row) => decodeList(row.authzRoles),
  centrallyLogged: (row) => row.centrallyLogged,
  loggingDestination: (row) => row.loggingDestination,
  docsUrl: (row) => row.docsUrl,
  repoUrl: (row) => row.repoUrl,
  openapiUrl: (row) => row.openapiUrl,
  tags: (row) => decodeList(row.tags),
  createdAt: (row) => row.createdAt,
  updatedAt: (row) => row.updatedAt,
};

/** Some fields of the API record, read from a row that holds their columns. */
function recordOf<K extends keyof ApiRecord>(row: Pick<RecordRow, K>, keys: readonly K[]): Pick<ApiRecord, K> {
  const record = {} as Pick<ApiRecord, K>;
  for (const k of keys) record[k] = (FROM_ROW[k] as (row: Pick<RecordRow, K>) => ApiRecord[K])(row);
  return record;
}

/** A stored row as the API record every output reads, with its stored control statuses. */
export function toApiRecord(row: RecordRow): ApiRecord & {
  controls: Record<(typeof CONTROL_IDS)[number], ControlStatus>;
} {
  return Object.assign(recordOf(row, API_FIELD_KEYS), { controls: controlsOf(row) });
}

/** Every API of the current view as records (for CSV), in pages so memory stays flat. */
export async function* iterateApis(actor: Actor | null, params: ListParams, batch = 1000) {
  requirePermission(actor, "api:export");
  const where = buildApiWhere(params);
  for (let skip = 0; ; skip += batch) {
    const rows = await db.api.findMany({ where, orderBy: orderBy(params), skip, take: batch, select: RECORD_SELECT });
    for (const row of rows) yield toApiRecord(row);
    if (rows.length < batch) return;
  }
}

const DETAIL_SELECT = {
  ...RECORD_SELECT,
  hasWarning: true,
  teamId: true,
  ownerId: true,
  version: true,
  createdById: true,
  updatedById: true,
  specAnonWrites: true,
  specAnonReads: true,
  specAcceptedWrites: true,
  specAcceptedReads: true,
} satisfies Prisma.ApiSelect;

export async function getApi(actor: Actor | null, id: string) {
  requirePermission(actor, "api:read");
  const row = await db.api.findFirst({ where: { id, deletedAt: null }, select: DETAIL_SELECT });
  if (!row) throw new AppError("NOT_FOUND", "That API does not exist or was deleted.");
  // Asked again with the API as target: a token limited to one team reads only that team's APIs.
  requirePermission(actor, "api:read", { ownerId: row.ownerId, teamId: row.teamId });
  const people = await db.user.findMany({
    where: { id: { in: [row.createdById, row.updatedById].filter((v): v is string => !!v) } },
    select: { id: true, name: true },
  });
  const nameOf = (userId: string | null) =>
    people.find((p) => p.id === userId)?.name ?? (userId ? "unknown user" : "system");
  const record = toApiRecord(row);
  return {
    ...recordJson(API_FIELDS, API_FIELD_KEYS, record),
    ...judged(row, record.controls),
    spec: specFactsOf(row),
    teamId: row.teamId,
    ownerId: row.ownerId,
    version: row.version,
    createdBy: nameOf(row.createdById),
    updatedBy: nameOf(row.updatedById),
  };
}
export type ApiDetail = Awaited<ReturnType<typeof getApi>>;

/** The API's change history from the audit log, newest first. */
export async function getApiHistory(actor: Actor | null, id: string, take = 50) {
  requirePermission(actor, "api:read");
  const entries = await db.auditEntry.findMany({
    where: { targetType: "api", targetId: id },
    orderBy: { seq: "desc" },
    take,
    select: { seq: true, at: true, actorEmail: true, action: true, summary: true, diff: true },
  });
  return entries.map((e) => ({
    ...e,
    at: e.at.toISOString(),
    diff: JSON.parse(e.diff) as { changes?: Record<string, { from: unknown; to: unknown }> },
  }));
}

/** Teams and people to choose from in the API form. */
export async function getApiFormOptions(actor: Actor | null) {
  requirePermission(actor, "api:read");
  const [teams, users] = await Promise.all([
    db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.user.findMany({
      where: { isActive: true },
      orderBy: { name: "asc" },
      select: { id: true, name: true, email: true, teamId: true },
    }),
  ]);
  return { teams, users };
}
