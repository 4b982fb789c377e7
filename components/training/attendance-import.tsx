"use client";
import { importAttendanceAction, previewAttendanceImportAction } from "@/lib/training/actions";
import { CsvImport } from "@/components/forms/csv-import";

const OUTCOME = {
  add: "will add",
  "create-session": "will create the session and add",
  "already-recorded": "already recorded",
} as const;

export function AttendanceImport() {
  return (
    <CsvImport
      inputId="attendance-csv"
      previewAction={previewAttendanceImportAction}
      importAction={importAttendanceAction}
      headings={["Email", "Topic", "Date"]}
      cells={(r) => [r.email, r.topic, r.date]}
      outcome={(r) => (r.action ? OUTCOME[r.action] : "")}
      ready={(p) =>
        `${p.newSessions} new session(s), ${p.additions} attendance record(s) to add, ${p.alreadyRecorded} already recorded.`
      }
      done={(p) => `${p.newSessions} new session(s), ${p.additions} attendance record(s) added.`}
    />
  );
}
