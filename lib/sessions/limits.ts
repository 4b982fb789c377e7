import { AppError } from "@/lib/errors";

// How long a signed-in session lasts. The absolute limit ends a session however busy it is (a stolen
// cookie cannot be kept alive by use); the idle limit ends one nobody has used for a while.
const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export const SESSION_LIMITS = {
  absoluteMs: positive(process.env.APILEDGER_SESSION_HOURS, 8) * 3_600_000,
  idleMs: positive(process.env.APILEDGER_SESSION_IDLE_MINUTES, 30) * 60_000,
  /** Creating an API token needs a sign-in or re-authentication within this time. */
  recentAuthMs: positive(process.env.APILEDGER_REAUTH_MINUTES, 15) * 60_000,
  /** lastSeenAt is written at most this often per session (it is shown in minutes). */
  touchEveryMs: 60_000,
  /** A session waiting for its second factor, or to enrol one, ends if that is not done within this time. */
  secondFactorMs: 10 * 60_000,
} as const;

export type SessionTimes = {
  authenticatedAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  createdAt?: Date;
  stage?: string;
};

/** Why a session can no longer be used at `now`, or "" while it can. */
export function sessionEndReason(s: SessionTimes, now: Date): string {
  if (s.endedAt) return "ended";
  if (s.expiresAt <= now) return "absolute limit reached";
  if (now.getTime() - s.lastSeenAt.getTime() > SESSION_LIMITS.idleMs) return "idle limit reached";
  // A session not yet open (a second factor owed, or one to enrol) lives only as long as that step may take.
  if (
    s.stage &&
    s.stage !== "active" &&
    s.createdAt &&
    now.getTime() - s.createdAt.getTime() > SESSION_LIMITS.secondFactorMs
  )
    return s.stage === "enrol" ? "enrolment not finished in time" : "second factor not given in time";
  return "";
}

/** Whether the person proved who they are recently enough for a sensitive step (creating a token). */
export const authenticatedRecently = (authenticatedAt: Date, now = new Date()) =>
  now.getTime() - authenticatedAt.getTime() <= SESSION_LIMITS.recentAuthMs;

/** The refusal of a sensitive step (`step`: "creating a token") in a session not proven recently enough. */
export const reauthenticateFirst = (step: string) =>
  `Confirm it is you first: ${step} needs a sign-in within the last ${SESSION_LIMITS.recentAuthMs / 60_000} minutes.`;

/**
 * For steps whose effect outlives the session (a token, a change of second factors): a session left open on
 * someone's desk must not take them; the person proves who they are again first.
 */
export function requireRecentSignIn(session: { authenticatedAt: Date } | undefined, step: string): void {
  if (session && !authenticatedRecently(session.authenticatedAt))
    throw new AppError("FORBIDDEN", reauthenticateFirst(step));
}
