import "server-only";
import { AppError } from "@/lib/errors";
import { ENUM_FILTERS, SORT_FIELDS, parseListParams, type ListParams } from "@/lib/apis/list-params";

// The REST list takes the UI's query parameters (so a view's URL works against the API too), but is
// strict where the UI is forgiving: an unknown parameter or value is a 400 listing each one, rather
// than silently ignored.
const NAMES = new Set(["q", "sort", "team", "owner", "tag", "cursor", "limit", ...Object.keys(ENUM_FILTERS)]);

export function parseInventoryQuery(
  url: URL,
  teamRestriction: string | null,
): { params: ListParams; cursor: string | null; limit: number } {
  const errors: Record<string, string[]> = {};
  const raw: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (raw[key] ??= []).push(value);
  for (const key of Object.keys(raw))
    if (!NAMES.has(key)) errors[key] = [`Unknown query parameter. Allowed: ${[...NAMES].join(", ")}.`];
  for (const [key, allowed] of Object.entries(ENUM_FILTERS)) {
    const bad = (raw[key] ?? [])
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v && !allowed.includes(v));
    if (bad.length)
      errors[key] = [`Unknown value${bad.length > 1 ? "s" : ""} ${bad.join(", ")}. Allowed: ${allowed.join(", ")}.`];
  }
  const sort = raw.sort?.[0] ?? "";
  if (sort && !(SORT_FIELDS as readonly string[]).includes(sort.replace(/^-/, "")))
    errors.sort = [`Sort by one of ${SORT_FIELDS.join(", ")} (prefix - for descending).`];
  const limitRaw = raw.limit?.[0];
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) errors.limit = ["A whole number from 1 to 200."];
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some query parameters are not valid.", errors);
  const params = parseListParams(raw);
  // A token limited to one team sees only that team's APIs, whatever filter it sends.
  if (teamRestriction) params.teamIds = [teamRestriction];
  return { params, cursor: url.searchParams.get("cursor"), limit };
}
