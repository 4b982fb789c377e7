import "server-only";
import { AppError } from "@/lib/errors";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";

const refuse = (message: string): never => {
  throw new AppError("VALIDATION", message, { url: [message] });
};

/**
 * Fetches a description from a URL whose host an admin has allowed (Settings). No redirects are
 * followed (a redirect could lead anywhere), the body is capped, and the request times out — so the
 * server cannot be steered into probing the internal network.
 */
export async function fetchDescription(rawUrl: string, allowedHosts: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    return refuse("Give a full URL, e.g. https://git.internal.example/team/api/openapi.yaml.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") refuse("Only http and https URLs are fetched.");
  if (url.username || url.password) refuse("Do not put credentials in the URL.");
  const allowed = allowedHosts.split(",").filter(Boolean);
  if (!allowed.length) refuse("Fetching descriptions by URL is turned off; an administrator can allow hosts in Settings. Upload the file instead.");
  if (!allowed.includes(url.host.toLowerCase())) refuse(`The host ${url.host} is not on the administrator's list of allowed hosts (${allowed.join(", ")}).`);
  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: "manual", signal: AbortSignal.timeout(10_000), headers: { Accept: "application/json, application/yaml, text/yaml, */*;q=0.5" } });
  } catch (error) {
    return refuse(`Could not fetch ${url.href}: ${(error as Error).name === "TimeoutError" ? "no answer within 10 s" : (error as Error).message}.`);
  }
  if (response.status >= 300 && response.status < 400) refuse(`${url.href} redirects elsewhere (${response.status}); give the final URL.`);
  if (!response.ok) refuse(`${url.href} answered ${response.status}.`);
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_DESCRIPTION_BYTES) {
      await reader.cancel();
      refuse(`The description at ${url.href} is larger than ${MAX_DESCRIPTION_BYTES / 1048576} MB.`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
