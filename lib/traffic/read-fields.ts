import { isIP } from "node:net";
import { cutText, quotedText, textProblem } from "@/lib/input/text";
import type { Outcome } from "@/lib/events/outcomes";

// What every traffic profile shares: an observed call, the fields read from a record, and the rules that
// turn their text into a call or a reason (lib/traffic/profiles.ts reads each vendor's record; OTLP's
// are in lib/traffic/otlp-records.ts).

export type ObservedCall = {
  time: Date;
  /** The host the caller addressed (Host header, server.address), lower case, no port. */
  host: string;
  method: string;
  /** The request path without its query. */
  path: string;
  /** The route template when the gateway or framework names one (http.route, `/orders/{id}`). */
  route: string;
  /** The gateway's own name for where the call went (Kong service/route, Traefik router, Envoy route). */
  gatewayRoute: string;
  /** The HTTP status; 0 when the record has none. */
  status: number;
  outcome: Outcome;
  /** The calling application (Kong consumer, OAuth client id), as the gateway identified it. */
  clientId: string;
  /** The user behind the call, when the gateway knows one. */
  principal: string;
  sourceIp: string;
  /** The source's own id for the record (request id), for de-duplication; "" when it has none. */
  eventId: string;
};

export type Reading = { ok: true; call: ObservedCall } | { ok: false; reason: string } | { ok: "skip" };

/** How far in the future a record's time may be (gateway clocks drift a little). */
const FUTURE_SKEW_MS = 5 * 60_000;
const LIMITS = { host: 255, method: 16, path: 500, route: 500, gatewayRoute: 200, clientId: 200, principal: 200 };

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
/** A field by name (OpenTelemetry's dotted attribute names are flat keys), else by a dotted path. */
export const get = (o: unknown, path: string): unknown =>
  isObject(o) && path in o ? o[path] : path.split(".").reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);
/** The first of the named fields that holds a non-empty string or number, as text. */
export function pick(o: unknown, ...paths: string[]): string {
  for (const p of paths) {
    const text = textOf(get(o, p));
    if (text) return text;
  }
  return "";
}

/**
 * pick for a flat object whose keys are the names themselves (OpenTelemetry's attributes): no dotted
 * path is walked for a name that is absent, which the readers' fallbacks mostly are.
 */
export function pickFlat(o: Json, ...keys: string[]): string {
  for (const key of keys) {
    const text = Object.hasOwn(o, key) ? textOf(o[key]) : "";
    if (text) return text;
  }
  return "";
}

const textOf = (v: unknown): string =>
  typeof v === "string" ? (v === "-" ? "" : v) : typeof v === "number" && Number.isFinite(v) ? String(v) : "";

// Dates: ISO 8601, Unix seconds or milliseconds, nanoseconds as OTLP writes them, or the Common Log
// Format's 10/Oct/2000:13:55:36 -0700 (NGINX's $time_local, API Gateway's $context.requestTime).
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
function timeOf(value: string, unit: "auto" | "ms" | "ns" = "auto"): Date | null {
  if (!value) return null;
  const clf = CLF.exec(value);
  if (clf) {
    const [, d, mon, y, h, mi, s, sign, oh, om] = clf;
    const month = MONTHS.indexOf(mon!);
    if (month < 0) return null;
    const offset = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    return new Date(Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s)) - offset);
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    const ms = unit === "ns" ? n / 1e6 : unit === "ms" ? n : n > 1e11 ? n : n * 1000;
    // 1e20 is finite, and no date: a Date beyond ±8.64e15 ms is invalid.
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "10.0.0.1:5678", "[2001:db8::1]:443", "10.0.0.1, 10.0.0.2" (X-Forwarded-For: the first) → the address. */
function addressOf(value: string): string {
  let v = value.split(",")[0]!.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  return isIP(v) ? v : "";
}

function hostOf(value: string): string {
  let v = value.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(v)) {
    try {
      v = new URL(v).hostname;
    } catch {
      return "";
    }
  }
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]"));
  return v.replace(/:\d+$/, "");
}

function pathOf(value: string): string {
  let v = value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    try {
      v = new URL(v).pathname;
    } catch {
      return "";
    }
  }
  return v.split("?")[0]!.split("#")[0]!;
}

/** 401 is a failed authentication, 403 a denied authorisation, unless the record says more (`hint`). */
function outcomeOf(status: number, hint: Outcome | null = null): Outcome {
  if (hint) return hint;
  return status === 401 ? "authn_failure" : status === 403 ? "authz_denied" : "success";
}

export type Fields = Omit<ObservedCall, "time" | "outcome" | "status"> & { time: string; status: string };

export function finish(f: Fields, now: Date, timeUnit: "auto" | "ms" | "ns", hint: Outcome | null = null): Reading {
  const time = timeOf(f.time, timeUnit);
  if (!time) return { ok: false, reason: f.time ? `unreadable time “${quotedText(f.time, 40)}”` : "no time" };
  if (time.getTime() > now.getTime() + FUTURE_SKEW_MS) return { ok: false, reason: "time is in the future" };
  const method = f.method.toUpperCase();
  if (!method) return { ok: false, reason: "no request method" };
  if (!/^[A-Z]{1,16}$/.test(method)) return { ok: false, reason: "the request method is not an HTTP method" };
  if (!f.path && !f.route && !f.gatewayRoute) return { ok: false, reason: "no path, route or gateway route" };
  const status = f.status ? Number(f.status) : 0;
  if (!Number.isInteger(status) || status < 0 || status > 999) return { ok: false, reason: "unreadable status" };
  const call: ObservedCall = {
    time,
    host: cutText(hostOf(f.host), LIMITS.host),
    method,
    path: cutText(pathOf(f.path), LIMITS.path),
    route: cutText(f.route, LIMITS.route),
    gatewayRoute: cutText(f.gatewayRoute, LIMITS.gatewayRoute),
    status,
    outcome: outcomeOf(status, hint),
    clientId: cutText(f.clientId, LIMITS.clientId),
    principal: cutText(f.principal, LIMITS.principal),
    sourceIp: addressOf(f.sourceIp),
    eventId: cutText(f.eventId, 200),
  };
  // The outside-text rule: kept as the gateway sent it, but never NUL, lone surrogates or bidi controls.
  for (const key of ["host", "path", "route", "gatewayRoute", "clientId", "principal", "eventId"] as const) {
    const problem = textProblem(call[key]);
    if (problem) return { ok: false, reason: `${key} ${problem}` };
  }
  return { ok: true, call };
}
