// The inventory view's state (filters, sort, page, hidden columns) as URL search parameters, so a view
// can be bookmarked and shared. Client-safe: the table builds URLs with it, the server parses with it.
// Unknown values are dropped rather than rejected: a stale or hand-edited link still opens a view; text the
// outside-text rule refuses (NUL, lone surrogates…) is stripped from the search, so it matches what it can.
import {
  AUTH_METHODS,
  AUTHZ_MODELS,
  CONTROL_STATUSES,
  DATA_CATEGORIES,
  EXPOSURES,
  LIFECYCLES,
  SENSITIVITIES,
} from "@/lib/apis/enums";
import { CONTROL_COLUMN, CONTROL_IDS, type ControlColumn } from "@/lib/ism/controls";
import { stripRefused } from "@/lib/input/text";
import { TRAFFIC_STATES } from "@/lib/observed/flags";
import {
  defineTable,
  firstParam as first,
  listParam as list,
  parseTableParams,
  tableSearchParams,
  type SearchParamsRecord,
  type TableParams,
} from "@/lib/tables/table-params";

export const SORT_FIELDS = [
  "name",
  "team",
  "owner",
  "lifecycle",
  "exposure",
  "sensitivity",
  "updatedAt",
  "createdAt",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const INVENTORY_TABLE = defineTable({ sorts: SORT_FIELDS, defaultSort: "name" });

export const TRI = ["yes", "no", "unknown"] as const;

const CONTROL_COLUMNS = CONTROL_IDS.map((id) => CONTROL_COLUMN[id]);

export const ENUM_FILTERS = {
  lifecycle: LIFECYCLES,
  exposure: EXPOSURES,
  sensitivity: SENSITIVITIES,
  authzModel: [...AUTHZ_MODELS, "UNKNOWN"],
  authMethod: [...AUTH_METHODS, "UNKNOWN"],
  dataCategory: DATA_CATEGORIES,
  modifiesData: TRI,
  readsNonPublic: TRI,
  centrallyLogged: TRI,
  traffic: TRAFFIC_STATES,
  ...Object.fromEntries(CONTROL_COLUMNS.map((c) => [c, CONTROL_STATUSES])),
} as Record<string, readonly string[]>;

export type ListParams = TableParams<SortField> & {
  q: string;
  filters: Record<string, string[]>;
  teamIds: string[];
  owner: string; // "" any, "none" no owner, or a user id
  tag: string;
};

export const DEFAULT_LIST_PARAMS: ListParams = {
  q: "",
  page: 1,
  pageSize: 25,
  sort: "name",
  desc: false,
  filters: {},
  teamIds: [],
  owner: "",
  tag: "",
  hidden: [],
};

export function parseListParams(raw: SearchParamsRecord): ListParams {
  const filters: Record<string, string[]> = {};
  for (const [key, allowed] of Object.entries(ENUM_FILTERS)) {
    const values = [...new Set(list(raw, key).filter((v) => allowed.includes(v)))];
    if (values.length) filters[key] = values;
  }
  return {
    ...parseTableParams(raw, INVENTORY_TABLE),
    q: stripRefused(first(raw, "q")).trim().slice(0, 200),
    filters,
    teamIds: list(raw, "team")
      .filter((v) => /^[a-z0-9]{1,64}$/i.test(v))
      .slice(0, 50),
    owner: /^(none|[a-z0-9]{1,64})$/i.test(first(raw, "owner")) ? first(raw, "owner") : "",
    tag: stripRefused(first(raw, "tag")).trim().slice(0, 80),
  };
}

export function toSearchParams(params: ListParams): URLSearchParams {
  const sp = new URLSearchParams();
  if (params.q) sp.set("q", params.q);
  for (const [key, values] of Object.entries(params.filters)) if (values.length) sp.set(key, values.join(","));
  if (params.teamIds.length) sp.set("team", params.teamIds.join(","));
  if (params.owner) sp.set("owner", params.owner);
  if (params.tag) sp.set("tag", params.tag);
  return tableSearchParams(params, INVENTORY_TABLE, sp);
}

export function isControlColumn(key: string): key is ControlColumn {
  return (CONTROL_COLUMNS as string[]).includes(key);
}
