import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { listSessionsOf } from "@/lib/sessions/queries";
import { SESSION_LIMITS } from "@/lib/sessions/limits";
import { SessionTable } from "@/components/sessions/session-table";

export const metadata: Metadata = { title: "Your sessions" };

export default async function SessionsPage() {
  const actor = await requireActor();
  const rows = await listSessionsOf(actor, actor.id);
  const hours = SESSION_LIMITS.absoluteMs / 3_600_000;
  const idle = SESSION_LIMITS.idleMs / 60_000;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Your sessions</h1>
          <p>
            Where your account is signed in. A session ends when you sign out, after {idle} minutes without use, or{" "}
            {hours} hours after signing in, whichever comes first; changing your password ends all of them. End any you
            do not recognise and change your password.
          </p>
        </div>
      </div>
      <section aria-labelledby="sessions-h">
        <h2 id="sessions-h" className="sr-only">
          Sessions
        </h2>
        <SessionTable rows={rows} userId={actor.id} own />
      </section>
    </>
  );
}
