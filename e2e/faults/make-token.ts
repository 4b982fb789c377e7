// Run by the fault suite against the server's own database (same environment): an admin's API token
// for the workload, and the ids its requests need. Prints one line of JSON.
import { db, disconnectDb } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/create-token";
import type { Role } from "@/lib/authz/policy";

const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
const actor = {
  kind: "user" as const,
  id: admin.id,
  email: admin.email,
  role: admin.role as Role,
  teamId: admin.teamId,
};
const { secret } = await createToken({ actor, ip: "fault-suite" }, null, {
  name: "fault suite",
  scopes: ["inventory:read", "inventory:write", "events:write", "evidence:read", "incidents:write"],
  teamId: "",
  expiresInDays: 1,
});
console.log(JSON.stringify({ token: secret, teamId: owner.teamId, ownerId: owner.id }));
await disconnectDb();
