// Observed versus granted (issue 17): what the traffic says about each grant and each caller, with the
// decision it suggests to an access review. Pure, so the API page, the review and the tests agree.

import { z } from "zod";

const DAY = 86_400_000;
/** A grant with no successful call for this long suggests revoking it. */
export const UNUSED_GRANT_DAYS = 90;
/** A deprecated or retired API called within this long is a zombie; an active one not called for this long is unused. */
export const API_QUIET_DAYS = 30;

export type Observed = {
  clientId: string;
  firstAt: Date;
  lastAt: Date;
  lastSuccessAt: Date | null;
  lastWriteAt: Date | null;
  calls: number;
  reads: number;
  writes: number;
  failures: number;
};
/** A grant as judged: since when it stands (approved, else its credential issued, else recorded). */
export type ObservedGrant = { canModify: boolean; credentialExpiresAt: Date | null; grantedAt: Date };
export const OBSERVED_FLAG_KINDS = ["UNUSED", "WRITE_UNUSED", "CALLED_AFTER_EXPIRY", "UNKNOWN_CALLER"] as const;
export type ObservedFlagKind = (typeof OBSERVED_FLAG_KINDS)[number];
export const ZObservedFlag = z.object({
  kind: z.enum(OBSERVED_FLAG_KINDS),
  message: z.string(),
  suggestion: z.string().meta({ description: "The decision the traffic suggests" }),
});
export type ObservedFlag = z.infer<typeof ZObservedFlag>;

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const daysSince = (d: Date, now: Date) => Math.floor((now.getTime() - d.getTime()) / DAY);

/**
 * A grant's flags, judged from the API's observed traffic. `observedSince` is when traffic for the API
 * was first seen (null: never — then nothing is judged, as silence proves nothing without a gateway).
 */
export function observedGrantFlags(
  grant: ObservedGrant,
  seen: Observed | null,
  observedSince: Date | null,
  now = new Date(),
): ObservedFlag[] {
  if (!observedSince) return [];
  const flags: ObservedFlag[] = [];
  // Judged from when both the grant and the observation existed: a grant made last week is not unused.
  const since = grant.grantedAt > observedSince ? grant.grantedAt : observedSince;
  const lastUse = seen?.lastSuccessAt ?? null;
  const quiet = lastUse ? daysSince(lastUse, now) : daysSince(since, now);
  if (quiet >= UNUSED_GRANT_DAYS)
    flags.push({
      kind: "UNUSED",
      message: lastUse
        ? `No successful call in ${quiet} days (last ${ymd(lastUse)}).`
        : `No successful call since traffic was first observed ${quiet} days ago.`,
      suggestion: "Suggest revoking it.",
    });
  if (grant.canModify && !(lastUse && quiet >= UNUSED_GRANT_DAYS)) {
    const lastWrite = seen?.lastWriteAt ?? null;
    const writeQuiet = lastWrite ? daysSince(lastWrite, now) : daysSince(since, now);
    if (writeQuiet >= UNUSED_GRANT_DAYS)
      flags.push({
        kind: "WRITE_UNUSED",
        message: lastWrite
          ? `May modify data, but its last write was ${writeQuiet} days ago (${ymd(lastWrite)}).`
          : `May modify data, but made no write in the ${writeQuiet} days observed.`,
        suggestion: "Suggest read-only access.",
      });
  }
  if (grant.credentialExpiresAt && lastUse && lastUse > grant.credentialExpiresAt)
    flags.push({
      kind: "CALLED_AFTER_EXPIRY",
      message: `Called successfully on ${ymd(lastUse)}, after its credential expired on ${ymd(grant.credentialExpiresAt)}.`,
      suggestion: "Revoke the credential at the gateway and find out how it still works.",
    });
  return flags;
}

/** A caller the gateway named that is no recorded grant of the API. */
export function unknownCallerFlag(seen: Observed): ObservedFlag {
  return {
    kind: "UNKNOWN_CALLER",
    message: `Not a recorded client: ${seen.calls.toLocaleString("en-AU")} call(s), last ${ymd(seen.lastAt)}${seen.lastSuccessAt ? "" : ", none let in"}.`,
    suggestion: seen.lastSuccessAt
      ? "Register it as a client, or block it at the gateway."
      : "Watch it: it was refused.",
  };
}

/** A zombie is deprecated or retired and still called; an unused API is active and no longer called. */
export const TRAFFIC_STATES = ["ZOMBIE", "UNUSED"] as const;
export type ApiTrafficState = (typeof TRAFFIC_STATES)[number] | null;

/** The time an API's last call must be after to count as called lately (apiTrafficState's edge, as a query's). */
export const quietCutoff = (now: Date) => new Date(now.getTime() - API_QUIET_DAYS * DAY);

/** A deprecated or retired API still called (zombie), or an active one no longer called (unused). */
export function apiTrafficState(lifecycle: string, lastCallAt: Date | null, now = new Date()): ApiTrafficState {
  if (!lastCallAt) return null;
  const quiet = daysSince(lastCallAt, now);
  if ((lifecycle === "DEPRECATED" || lifecycle === "RETIRED") && quiet < API_QUIET_DAYS) return "ZOMBIE";
  if (lifecycle === "ACTIVE" && quiet >= API_QUIET_DAYS) return "UNUSED";
  return null;
}

/** Declared central logging that sends nothing for this long is a warning. */
export const SILENT_LOGGING_DAYS = 7;

/**
 * ISM-2015 / ISM-1910 as observed: an API whose gateways send its events is centrally logged in fact,
 * whatever the record says; one declared as logged that has gone quiet is a warning. `lastEventAt` null:
 * no event ever received (then the declaration stands alone, and nothing is warned).
 */
export function observedLogging(
  declared: boolean | null,
  lastEventAt: Date | null,
  now = new Date(),
): { line: string; warning: string | null } {
  if (!lastEventAt)
    return {
      line: "Centrally logged: not observed — ApiLedger has received no event from this API's gateways yet.",
      warning: null,
    };
  const quiet = daysSince(lastEventAt, now);
  const line = `Centrally logged: observed — last event received ${ymd(lastEventAt)}${quiet ? ` (${quiet} day(s) ago)` : " (today)"}.`;
  if (quiet >= SILENT_LOGGING_DAYS && declared === true)
    return {
      line,
      warning: `Declared as centrally logged, but no event has arrived for ${quiet} days: check the gateway's log shipping.`,
    };
  return { line, warning: null };
}
