import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { ATTENDANCE_CSV_COLUMNS } from "@/lib/training/import-attendance";
import { AttendanceImport } from "@/components/training/attendance-import";

export const metadata: Metadata = { title: "Import training attendance" };

export default async function AttendanceImportPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "training:manage")) forbidden();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/training">Training</Link> ›
          </p>
          <h1>Import training attendance</h1>
          <p>
            One row per person per session, e.g. from your learning system. Columns:{" "}
            <code>{ATTENDANCE_CSV_COLUMNS.join(", ")}</code>. <code>email</code>, <code>topic</code> and{" "}
            <code>date</code> (YYYY-MM-DD) are required; rows with the same topic and date are one session. A session
            already recorded gets the new attendees; a new session is created and needs <code>trainer</code> and{" "}
            <code>duration_minutes</code> on at least one of its rows. <code>api_security</code> is yes (default) or no.
          </p>
          <p>
            The file is checked first and nothing is written until you import; a file with any bad row imports nothing.
          </p>
        </div>
      </div>
      <AttendanceImport />
    </>
  );
}
