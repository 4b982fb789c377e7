import { EMPTY_MAPPING, type TFieldMapping } from "@/lib/traffic/field-mapping";

// An "any JSON" source's mapping and records of the shape it reads, for tests: a home-grown gateway that
// logs {"ts", "req": {"verb", "url", "headers": {"x-client-id"}}, "res": {"code"}, "user.name"} lines.

export const JSON_MAPPING: TFieldMapping = {
  ...EMPTY_MAPPING,
  time: "ts",
  timeUnit: "ms",
  method: "req.verb",
  path: "req.url",
  status: "res.code",
  host: 'req.headers["host"]',
  clientId: 'req.headers["x-client-id"] | app',
  principal: '["user.name"]',
  eventId: "id",
};

/** A record as that gateway writes it: a call `ago` milliseconds before now. */
export function jsonRecord(over: { url?: string; code?: number; client?: string; ago?: number; id?: string } = {}) {
  return {
    ts: Date.now() - (over.ago ?? 5000),
    id: over.id ?? `r-${Math.random().toString(36).slice(2)}`,
    req: {
      verb: "GET",
      url: over.url ?? "/v1/payments?page=2",
      headers: { host: "payments.internal.example:8443", "x-client-id": over.client ?? "reporting" },
    },
    res: { code: over.code ?? 200 },
    "user.name": "alice",
  };
}
