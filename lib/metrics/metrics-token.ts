import { timingSafeEqual, createHash } from "node:crypto";
import { SecretSettingError, readSettingFile } from "@/lib/runtime/secrets";

/**
 * The bearer token Prometheus sends to GET /metrics: APILEDGER_METRICS_TOKEN, else the contents of
 * APILEDGER_METRICS_TOKEN_FILE (Prometheus reads its copy from `authorization.credentials_file`).
 * null: metrics are off (the route answers 404). A token under 32 characters is refused.
 */
export function metricsToken(env: Record<string, string | undefined> = process.env): string | null {
  const file = env.APILEDGER_METRICS_TOKEN_FILE?.trim();
  const token =
    env.APILEDGER_METRICS_TOKEN?.trim() || (file ? readSettingFile("APILEDGER_METRICS_TOKEN_FILE", file).trim() : "");
  if (!token) return null;
  if (token.length < 32 || !/^[\x21-\x7e]+$/.test(token))
    throw new SecretSettingError(
      `The metrics token (${env.APILEDGER_METRICS_TOKEN?.trim() ? "APILEDGER_METRICS_TOKEN" : "APILEDGER_METRICS_TOKEN_FILE"}) must be 32 or more printable ASCII characters without spaces (openssl rand -hex 32).`,
    );
  return token;
}

/** Whether the request's Authorization header carries the token (compared in constant time). */
export function presentsToken(authorization: string | null, token: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization ?? "");
  if (!match) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
