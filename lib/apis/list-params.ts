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

export const PAGE_SIZES = [25, 50, 100] as const;
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
  ...Object.fromEntries(CONTROL_COLUMNS.map((c) => [c, CONTROL_STATUSES])),
} as Record<string, readonly string[]>;

export type ListParams = {
  q: string;
  page: number;
  pageSize: number;
  sort: SortField;
  desc: boolean;
  filters: Record<string, string[]>;
  teamIds: string[];
  owner: string; // "" any, "none" no owner, or a user id
  tag: string;
  hidden: string[];
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

type Raw = Record<string, string | string[] | undefined>;

function first(raw: Raw, key: string): string {
  const v = raw[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

function list(raw: Raw, key: string): string[] {
  const v = raw[key];
  const all = Array.isArray(v) ? v : v ? [v] : [];
  return all
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseListParams(raw: Raw): ListParams {
  const sortRaw = first(raw, "sort");
  const desc = sortRaw.startsWith("-");
  const sortField = (SORT_FIELDS as readonly string[]).includes(sortRaw.replace(/^-/, ""))
    ? (sortRaw.replace(/^-/, "") as SortField)
    : "name";
  const size = Number(first(raw, "size"));
  const page = Math.floor(Number(first(raw, "page")));
  const filters: Record<string, string[]> = {};
  for (const [key, allowed] of Object.entries(ENUM_FILTERS)) {
    const values = [...new Set(list(raw, key).filter((v) => allowed.includes(v)))];
    if (values.length) filters[key] = values;
  }
  return {
    q: stripRefused(first(raw, "q")).trim().slice(0, 200),
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 100_000) : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 25,
    sort: sortField,
    desc: sortRaw ? desc : false,
    filters,
    teamIds: list(raw, "team")
      .filter((v) => /^[a-z0-9]{1,64}$/i.test(v))
      .slice(0, 50),
    owner: /^(none|[a-z0-9]{1,64})$/i.test(first(raw, "owner")) ? first(raw, "owner") : "",
    tag: stripRefused(first(raw, "tag")).trim().slice(0, 80),
    hidden: list(raw, "hide").slice(0, 30),
  };
}

export function toSearchParams(params: ListParams): URLSearchParams {
  const sp = new URLSearchParams();
  if (params.q) sp.set("q", params.q);
  for (const [key, values] of Object.entries(params.filters)) if (values.length) sp.set(key, values.join(","));
  if (params.teamIds.length) sp.set("team", params.teamIds.join(","));
  if (params.owner) sp.set("owner", params.owner);
  if (params.tag) sp.set("tag", params.tag);
  if (params.sort !== "name" || params.desc) sp.set("sort", `${params.desc ? "-" : ""}${params.sort}`);
  if (params.pageSize !== 25) sp.set("size", String(params.pageSize));
  if (params.page > 1) sp.set("page", String(params.page));
  if (params.hidden.length) sp.set("hide", params.hidden.join(","));
  return sp;
}

export function isControlColumn(key: string): key is ControlColumn {
  return (CONTROL_COLUMNS as string[]).includes(key);
}
