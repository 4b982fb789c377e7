// Seeds the demo organisation through the same services the app uses (so every row is authorised
// and audited like any other write). Runs only on an empty database.
import { db } from "@/lib/db/client";
import { updateSettings } from "@/lib/settings/update-settings";
import { getSettings } from "@/lib/settings/queries";
import { createTeam } from "@/lib/teams/create-team";
import { createUser } from "@/lib/users/create-user";
import { createApi } from "@/lib/apis/create-api";
import type { Actor } from "@/lib/authz/policy";
import { createClient } from "@/lib/clients/create-client";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { approveDocumentVersion } from "@/lib/documents/approve-version";
import { todayInput } from "@/lib/input/date-input";
import { recordTrainingSession } from "@/lib/training/record-session";
import { ensureDefaultQuestions } from "@/lib/acquisitions/default-questions";
import {
  DEMO_DOCUMENTS,
  DEMO_TRAINING,
  DEMO_PASSWORD,
  DEMO_TEAMS,
  DEMO_USERS,
  demoApis,
  demoClients,
} from "@/prisma/demo-data";

export const SYSTEM_ACTOR: Actor = { kind: "system", id: null, email: "system@apiledger" };

export async function isDatabaseEmpty(): Promise<boolean> {
  const [users, teams] = await Promise.all([db.user.count(), db.team.count()]);
  return users === 0 && teams === 0;
}

export async function seedDemo(log: (line: string) => void = () => {}): Promise<void> {
  const ctx = { actor: SYSTEM_ACTOR, ip: "seed" };
  const teamIds = new Map<string, string>();
  for (const team of DEMO_TEAMS) {
    teamIds.set(team.key, (await createTeam(ctx, { name: team.name, description: team.description })).id);
  }
  const users = new Map<
    string,
    { id: string; teamId: string | null; role: (typeof DEMO_USERS)[number]["role"]; email: string }
  >();
  for (const user of DEMO_USERS) {
    const teamId = user.team ? teamIds.get(user.team)! : "";
    const { id } = await createUser(
      ctx,
      { email: user.email, name: user.name, role: user.role, teamId },
      { password: DEMO_PASSWORD, isDemo: true },
    );
    users.set(user.email, { id, teamId: teamId || null, role: user.role, email: user.email });
  }
  log(`seeded ${DEMO_TEAMS.length} teams and ${DEMO_USERS.length} demo users`);
  // The demo's sign-ins are published (README), so its people sign in with the password alone; anyone can
  // still enrol a second factor, and Settings turns the requirement on (a new installation starts with it
  // on for administrators).
  await updateSettings(ctx, { ...(await getSettings()), mfaRequiredFor: "nobody" });
  const apis = demoApis();
  for (const api of apis) {
    const owner = api.owner ? users.get(api.owner)! : null;
    // Registered by its owner where it has one, as a person would have done.
    const actor: Actor = owner
      ? { kind: "user", id: owner.id, email: owner.email, role: owner.role, teamId: owner.teamId }
      : SYSTEM_ACTOR;
    await createApi({ actor, ip: "seed" }, { ...api.input, teamId: teamIds.get(api.team)!, ownerId: owner?.id ?? "" });
  }
  const apiIds = new Map<string, string>();
  for (const a of await db.api.findMany({ select: { id: true, name: true } })) apiIds.set(a.name, a.id);
  const clients = demoClients();
  for (const c of clients) await createClient(ctx, apiIds.get(c.api)!, c.client);
  log(`seeded ${apis.length} demo APIs with ${clients.length} clients`);
  // Uploaded by a manager and approved by an admin, as the separation of duties requires — on the day
  // of seeding, since an approval cannot precede the upload of what it approves.
  const asUser = (email: string): Actor => {
    const u = users.get(email)!;
    return { kind: "user", id: u.id, email: u.email, role: u.role, teamId: u.teamId };
  };
  for (const d of DEMO_DOCUMENTS) {
    const { id } = await createDocument({ actor: asUser("manager@example.com"), ip: "seed" }, d.document);
    const version = await addDocumentVersion({ actor: asUser("manager@example.com"), ip: "seed" }, id, d.version, null);
    await approveDocumentVersion({ actor: asUser("admin@example.com"), ip: "seed" }, version.id, {
      approvedOn: todayInput(),
    });
  }
  log(`seeded ${DEMO_DOCUMENTS.length} policy documents`);
  for (const t of DEMO_TRAINING) {
    await recordTrainingSession(
      { actor: asUser("manager@example.com"), ip: "seed" },
      { ...t.input, attendeeIds: t.attendees.map((email) => users.get(email)!.id) },
    );
  }
  log(`seeded ${DEMO_TRAINING.length} training sessions`);
  await ensureDefaultQuestions(ctx);
}
