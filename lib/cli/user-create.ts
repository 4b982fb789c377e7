// npm run user:create -- --email you@example.com --role ADMIN [--name "Your Name"] [--team "Team name"]
// Creates an account (the first admin of an installation without demo data) and prints its one-time
// password. Runs as the installation itself: whoever can run this can already read the database.
import { ROLES, isRole, type Actor } from "@/lib/authz/policy";
import { createUser } from "@/lib/users/create-user";
import { db, disconnectDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { fail, parseFlags } from "@/lib/cli/run";

const flags = parseFlags(process.argv.slice(2));
const email = typeof flags.email === "string" ? flags.email : fail("--email is required");
const role = typeof flags.role === "string" ? flags.role.toUpperCase() : "ADMIN";
if (!isRole(role)) fail(`--role must be one of ${ROLES.join(", ")}`);
const name = typeof flags.name === "string" ? flags.name : email.split("@")[0]!;
let teamId = "";
if (typeof flags.team === "string") {
  const team = await db.team.findUnique({ where: { name: flags.team } });
  if (!team) fail(`no team named "${flags.team}"`);
  teamId = team.id;
}
const actor: Actor = { kind: "system", id: null, email: "cli@apiledger" };
try {
  const { oneTimePassword } = await createUser({ actor, ip: "cli" }, { email, name, role, teamId });
  console.log(`Created ${role} ${email.toLowerCase()}.`);
  console.log(`One-time password: ${oneTimePassword}`);
  console.log("It is shown only now; the user is asked to change it after signing in.");
} catch (error) {
  if (isAppError(error)) fail(`${error.message} ${Object.values(error.fieldErrors).flat().join(" ")}`.trim());
  throw error;
} finally {
  await disconnectDb();
}
