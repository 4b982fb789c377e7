import "server-only";
import { AppError } from "@/lib/errors";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";
import { readCapped } from "@/lib/input/read-capped";

// Fetching a description from a URL makes the server call another host for the caller, so it is
// bounded on every side: only hosts an admin allowed (Settings), redirects only to those hosts (and
// never from https down to http), one deadline for the whole exchange — connection, redirects and the
// last byte of the body, so a server that drips its answer cannot hold a request open — and a size cap
// checked on the declared length and on every chunk. Every failure is a VALIDATION error on the url
// field, never an unexpected error. The caller checks permission before calling this.

export type FetchLimits = { totalMs: number; maxBytes: number; maxRedirects: number };
export const FETCH_LIMITS: FetchLimits = { totalMs: 15_000, maxBytes: MAX_DESCRIPTION_BYTES, maxRedirects: 3 };

const refuse = (message: string): never => {
  throw new AppError("VALIDATION", message, { url: [message] });
};

const ACCEPT = "application/json, application/yaml, text/yaml, */*;q=0.5";
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const megabytes = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

/** The URL, if it may be fetched at all. */
function allowedUrl(raw: string, allowed: string[], from?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw.trim(), from);
  } catch {
    return refuse(
      from
        ? `${from.href} redirects to an address that is not a URL.`
        : "Give a full URL, e.g. https://git.internal.example/team/api/openapi.yaml.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    refuse(
      from
        ? `${from.href} redirects to a ${url.protocol} address; only http and https are fetched.`
        : "Only http and https URLs are fetched.",
    );
  if (url.username || url.password)
    refuse(
      from ? `${from.href} redirects to an address with credentials in it.` : "Do not put credentials in the URL.",
    );
  if (!allowed.includes(url.host.toLowerCase())) {
    refuse(
      from
        ? `${from.href} redirects to ${url.host}, which is not on the administrator's list of allowed hosts (${allowed.join(", ")}).`
        : `The host ${url.host} is not on the administrator's list of allowed hosts (${allowed.join(", ")}).`,
    );
  }
  if (from?.protocol === "https:" && url.protocol === "http:")
    refuse(`${from.href} redirects from https to plain http (${url.href}); give an https URL that does not.`);
  return url;
}

/** A network failure in words, without the runtime's internals. */
function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  const known: Record<string, string> = {
    ECONNREFUSED: "the connection was refused",
    ENOTFOUND: "the host name is not known",
    ECONNRESET: "the connection was reset",
    EAI_AGAIN: "the host name could not be looked up",
    CERT_HAS_EXPIRED: "its certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is not trusted",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not trusted",
  };
  return known[code] ?? (code ? `the connection failed (${code})` : "the connection failed");
}

const FETCHING_OFF =
  "Fetching descriptions by URL is turned off; an administrator can allow hosts in Settings. Upload the file instead.";
const hostsOf = (allowedHosts: string) =>
  allowedHosts
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

/** Why a URL would not be fetched at all (its scheme, credentials, or host), or null when it would be tried. */
export function fetchRefusal(rawUrl: string, allowedHosts: string): string | null {
  const allowed = hostsOf(allowedHosts);
  if (!allowed.length) return FETCHING_OFF;
  try {
    allowedUrl(rawUrl, allowed);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Fetches a description from a URL on an allowed host; see the limits above. */
export async function fetchDescription(
  rawUrl: string,
  allowedHosts: string,
  options: { limits?: Partial<FetchLimits> } = {},
): Promise<string> {
  const limits = { ...FETCH_LIMITS, ...options.limits };
  const allowed = hostsOf(allowedHosts);
  if (!allowed.length) refuse(FETCHING_OFF);
  let url = allowedUrl(rawUrl, allowed);
  const start = url;
  // One deadline for the whole exchange; aborting also ends a body that is still arriving.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.totalMs);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, { redirect: "manual", signal: deadline.signal, headers: { Accept: ACCEPT } });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location");
        if (!location) refuse(`${url.href} answered ${response.status} without saying where to.`);
        if (redirects >= limits.maxRedirects)
          refuse(`${start.href} redirects more than ${limits.maxRedirects} times; give the final URL.`);
        url = allowedUrl(location!, allowed, url);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return refuse(`${url.href} answered ${response.status}.`);
      }
      const declared = Number(response.headers.get("content-length") ?? "");
      if (declared > limits.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        refuse(
          `The description at ${url.href} is larger than ${megabytes(limits.maxBytes)} (${megabytes(declared)} declared).`,
        );
      }
      const bytes = await readCapped(response.body, limits.maxBytes, () =>
        refuse(`The description at ${url.href} is larger than ${megabytes(limits.maxBytes)}.`),
      );
      return decode(bytes, url);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (deadline.signal.aborted)
      return refuse(
        `${start.host} did not send the whole description within ${seconds(limits.totalMs)}; nothing was stored.`,
      );
    return refuse(`Could not fetch ${url.href}: ${networkProblem(error)}.`);
  } finally {
    clearTimeout(timer);
  }
}

function decode(bytes: Uint8Array, url: URL): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse(`The description at ${url.href} is not UTF-8 text.`);
  }
}
