import "server-only";
import type { AuditInput } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { stripRefused } from "@/lib/input/text";

// A flood of refused tokens or wrong passwords must not grow the audit log and the sign-in table by a
// row a try: failures from one source address for one reason kind within one minute share a row. The
// first of a window writes the SignInEvent and its audit entry; later ones add to the row's count in the
// same kind of transaction (authorizedWrite, countsOnly). Alerts sum the counts, so they still see every try.

export type FailureKind = "api-token" | "password";
export type Failure = {
  kind: FailureKind;
  email: string;
  userId: string | null;
  reason: string;
  ip: string;
  userAgent: string;
};

/** Text from outside (e-mail, user agent) as either database can store it, bounded. */
export function storable(value: string, max: number): string {
  return stripRefused(value).slice(0, max);
}

export function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

const isTokenAccount = { email: { startsWith: "API token" } };

/**
 * Records one failed authentication inside an authorizedWrite. Returns true when it opened a new window
 * (and wrote `entry` to the audit log), false when it only counted.
 */
export async function recordFailure(
  tx: Tx,
  audit: (entry: AuditInput) => Promise<void>,
  failure: Failure,
  entry: AuditInput,
  now = new Date(),
): Promise<boolean> {
  const existing = await tx.signInEvent.findFirst({
    where: {
      success: false,
      ip: failure.ip,
      reason: failure.reason,
      at: { gte: windowStart(now) },
      ...(failure.kind === "api-token" ? isTokenAccount : { NOT: isTokenAccount }),
    },
    orderBy: { at: "asc" },
    select: { id: true },
  });
  if (existing) {
    await tx.signInEvent.update({ where: { id: existing.id }, data: { count: { increment: 1 } } });
    return false;
  }
  await tx.signInEvent.create({
    data: {
      email: failure.email,
      userId: failure.userId,
      success: false,
      reason: failure.reason,
      ip: failure.ip,
      userAgent: failure.userAgent,
      at: now,
    },
  });
  await audit(entry);
  return true;
}
