// Access-review flags for one client's grant, computed from its recorded facts. Pure, so the API page,
// the review snapshot and the tests agree.
import { sensitivityRank, type Sensitivity } from "@/lib/apis/enums";
import { z } from "zod";
import { FLAG_KINDS } from "@/lib/clients/enums";

export type GrantFacts = {
  canModify: boolean;
  approvedBy: string;
  credentialIssuedAt: Date | null;
  credentialExpiresAt: Date | null;
  credentialRotatedAt: Date | null;
  lastSeenAt: Date | null;
};

export type FlagSettings = { rotationDays: number; notSeenDays: number };
/** What an access review should look at first about a grant (expired, not rotated, no approver …). */
export const ZFlag = z.object({ kind: z.enum(FLAG_KINDS), message: z.string() });
export type Flag = z.infer<typeof ZFlag>;

const DAY = 86_400_000;
const ymd = (d: Date) => d.toISOString().slice(0, 10);

export function grantFlags(
  grant: GrantFacts,
  apiSensitivity: Sensitivity,
  settings: FlagSettings,
  now = new Date(),
): Flag[] {
  const flags: Flag[] = [];
  if (grant.credentialExpiresAt && grant.credentialExpiresAt < now) {
    flags.push({ kind: "EXPIRED", message: `Credential expired on ${ymd(grant.credentialExpiresAt)}.` });
  }
  const lastChange = grant.credentialRotatedAt ?? grant.credentialIssuedAt;
  if (!lastChange) {
    flags.push({
      kind: "ROTATION_UNKNOWN",
      message: "Neither the issue nor the last rotation date of the credential is recorded.",
    });
  } else if (now.getTime() - lastChange.getTime() > settings.rotationDays * DAY) {
    flags.push({
      kind: "NOT_ROTATED",
      message: `Not rotated for ${Math.floor((now.getTime() - lastChange.getTime()) / DAY)} days (rotation period ${settings.rotationDays} days).`,
    });
  }
  if (grant.canModify && sensitivityRank(apiSensitivity) >= sensitivityRank("PROTECTED")) {
    flags.push({ kind: "WRITE_ON_PROTECTED", message: "May modify data on an API holding PROTECTED or higher data." });
  }
  if (grant.lastSeenAt && now.getTime() - grant.lastSeenAt.getTime() > settings.notSeenDays * DAY) {
    flags.push({
      kind: "NOT_SEEN",
      message: `Not seen for ${Math.floor((now.getTime() - grant.lastSeenAt.getTime()) / DAY)} days.`,
    });
  }
  if (!grant.approvedBy.trim()) flags.push({ kind: "NO_APPROVER", message: "No approver is recorded for this grant." });
  return flags;
}
