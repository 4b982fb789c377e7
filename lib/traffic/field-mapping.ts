import { z } from "zod";
import { textProblem } from "@/lib/input/text";

// Client-safe (the form imports it): the field mapping of a source whose format is "any JSON". An admin
// writes, per field of an observed call, where the record holds it — a path expression — and previews the
// mapping on a pasted sample before the gateway sends. lib/traffic/profiles.ts reads records with it.
//
// A path: names separated by dots (request.headers.host), a name with dots or spaces in brackets and
// quotes (["http.request.method"], as OpenTelemetry names attributes, or a header: headers["x-client-id"]),
// an array index in brackets (tags[0]). Alternatives separated by `|` are tried in order, the first that
// holds a value wins: consumer.username | consumer.id.

/** The fields of an observed call a mapping fills, in the order the form shows them. */
export const MAPPED_FIELDS = [
  "time",
  "method",
  "path",
  "status",
  "host",
  "route",
  "gatewayRoute",
  "clientId",
  "principal",
  "sourceIp",
  "eventId",
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export const MAPPED_FIELD_INFO: Record<MappedField, { label: string; example: string; hint: string }> = {
  time: {
    label: "Time",
    example: "timestamp",
    hint: "When the call was made: ISO 8601, Unix seconds, milliseconds or nanoseconds, or 10/Oct/2026:13:55:36 +1100.",
  },
  method: { label: "Method", example: "request.method", hint: "GET, POST…" },
  path: { label: "Path", example: "request.path", hint: "The path called (a full URL is fine; the query is dropped)." },
  status: { label: "Status", example: "response.status", hint: "The HTTP status: 401 and 403 are failures." },
  host: { label: "Host", example: 'request.headers["host"]', hint: "The host called, for routing rules." },
  route: { label: "Route template", example: "route", hint: "The route as the framework names it: /orders/{id}." },
  gatewayRoute: {
    label: "Gateway route",
    example: "service.name",
    hint: "The gateway's own name for where the call went.",
  },
  clientId: {
    label: "Client (the calling application)",
    example: "consumer.username | client_id",
    hint: "Compared with the API's registered clients and grants.",
  },
  principal: { label: "User", example: "user.id", hint: "The person behind the call, when there is one." },
  sourceIp: { label: "Source address", example: "client.ip", hint: "An IPv4 or IPv6 address." },
  eventId: {
    label: "Request id",
    example: "request_id",
    hint: "The gateway's own id for the call; better than the record's content for recognising a retry.",
  },
};

export const TIME_UNITS = ["auto", "ms", "ns"] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const TIME_UNIT_LABELS: Record<TimeUnit, string> = {
  auto: "Recognise it (a number is seconds, or milliseconds when it is past the year 5138 as seconds)",
  ms: "Milliseconds since 1970",
  ns: "Nanoseconds since 1970",
};

/** One step of a path: a name, or an array index. */
export type PathStep = string | number;
const MAX_EXPRESSION = 300;
const MAX_STEPS = 16;
const MAX_ALTERNATIVES = 4;
const MAX_INDEX = 1000;

/**
 * A path expression's alternatives as steps, or why it cannot be read. Names are taken literally (a
 * record's own keys only: `__proto__` or `constructor` find nothing an object inherits).
 */
export function parsePathExpression(expression: string): PathStep[][] | string {
  if (expression.length > MAX_EXPRESSION) return `At most ${MAX_EXPRESSION} characters.`;
  const problem = textProblem(expression);
  if (problem) return `The path ${problem}.`;
  const alternatives = expression.split("|").map((a) => a.trim());
  if (alternatives.length > MAX_ALTERNATIVES) return `At most ${MAX_ALTERNATIVES} alternatives.`;
  const parsed: PathStep[][] = [];
  for (const alternative of alternatives) {
    if (!alternative) return "An alternative is empty: write a path on each side of |.";
    const steps = parseSteps(alternative);
    if (typeof steps === "string") return steps;
    if (steps.length > MAX_STEPS) return `A path has at most ${MAX_STEPS} steps.`;
    parsed.push(steps);
  }
  return parsed;
}

function parseSteps(path: string): PathStep[] | string {
  const steps: PathStep[] = [];
  let i = 0;
  let expectName = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === "[") {
      const close = path.indexOf("]", i);
      const quoted = /^\[\s*(["'])(.*?)\1\s*\]/.exec(path.slice(i));
      if (quoted) {
        steps.push(quoted[2]!);
        i += quoted[0].length;
      } else {
        if (close < 0) return `“${path}”: a [ is not closed.`;
        const inner = path.slice(i + 1, close).trim();
        if (!/^\d+$/.test(inner) || Number(inner) > MAX_INDEX)
          return `“${path}”: inside [ ] write an index up to ${MAX_INDEX} or a quoted name (["x-client-id"]).`;
        steps.push(Number(inner));
        i = close + 1;
      }
      expectName = false;
      continue;
    }
    if (c === ".") {
      if (expectName) return `“${path}”: a name is missing before or after a dot.`;
      expectName = true;
      i++;
      continue;
    }
    if (!expectName) return `“${path}”: put a dot between names.`;
    const name = /^[^.[\]|]+/.exec(path.slice(i))![0];
    if (name.trim() !== name)
      return `“${path}”: a name that starts or ends with a space goes in brackets and quotes ([" a name "]).`;
    steps.push(name);
    i += name.length;
    expectName = false;
  }
  if (steps.length === 0) return "Write a path.";
  if (expectName) return `“${path}”: a name is missing after the last dot.`;
  return steps;
}

const pathRule = (required: boolean) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!value) {
        if (required) ctx.addIssue({ code: "custom", message: "Say where the record holds it." });
        return;
      }
      const parsed = parsePathExpression(value);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
    });

/** Where a record holds each field; the records themselves may sit under `records` in a wrapping object. */
export const ZFieldMapping = z
  .object({
    records: pathRule(false).meta({
      description:
        "Where a body's records are when each body wraps them (events, data.items); empty: the body is the records",
    }),
    time: pathRule(true),
    timeUnit: z.enum(TIME_UNITS),
    method: pathRule(true),
    path: pathRule(false),
    status: pathRule(false),
    host: pathRule(false),
    route: pathRule(false),
    gatewayRoute: pathRule(false),
    clientId: pathRule(false),
    principal: pathRule(false),
    sourceIp: pathRule(false),
    eventId: pathRule(false),
  })
  .strict()
  .refine((m) => m.path || m.route || m.gatewayRoute, {
    message: "Map the path, the route template or the gateway route: a call must say where it went.",
    path: ["path"],
  });
export type TFieldMapping = z.infer<typeof ZFieldMapping>;

export const EMPTY_MAPPING: TFieldMapping = {
  records: "",
  time: "",
  timeUnit: "auto",
  method: "",
  path: "",
  status: "",
  host: "",
  route: "",
  gatewayRoute: "",
  clientId: "",
  principal: "",
  sourceIp: "",
  eventId: "",
};

/** A source's stored mapping (JSON text); null when it has none, or none that still validates. */
export function storedMapping(stored: string | null | undefined): TFieldMapping | null {
  if (!stored) return null;
  try {
    const parsed = ZFieldMapping.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A pasted sample to preview a mapping on: one record, an array, a wrapping object or NDJSON. */
export const MAX_SAMPLE_CHARS = 64 * 1024;
export const ZMappingPreviewInput = z
  .object({
    mapping: ZFieldMapping,
    sample: z
      .string()
      .min(1, "Paste one or more records as the gateway writes them.")
      .max(MAX_SAMPLE_CHARS, `At most ${MAX_SAMPLE_CHARS / 1024} KB.`),
  })
  .strict();
