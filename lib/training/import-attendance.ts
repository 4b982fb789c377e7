import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { fromDate, toDate, todayInput, ZDate } from "@/lib/input/date-input";
import { fileProblems, readCsvTable } from "@/lib/csv/csv-reader";
import { AppError } from "@/lib/errors";

// Attendance from a learning system's export: one row per person per session. Rows are grouped into
// sessions by topic and date; a session that is already recorded gets the new attendees, a new one is
// created (its trainer and duration come from its rows). As with every import: a preview shows what
// each row would do, and a file with any bad row imports nothing.
export const ATTENDANCE_CSV_COLUMNS = [
  "email",
  "topic",
  "date",
  "trainer",
  "duration_minutes",
  "api_security",
] as const;
const REQUIRED = ["email", "topic", "date"] as const;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 20_000;

export type AttendanceRow = {
  line: number;
  email: string;
  topic: string;
  date: string;
  action: "add" | "create-session" | "already-recorded" | null;
  errors: string[];
};
export type AttendancePreview = {
  ok: boolean;
  fileErrors: string[];
  rows: AttendanceRow[];
  newSessions: number;
  additions: number;
  alreadyRecorded: number;
  invalid: number;
};

type NewSession = {
  key: string;
  topic: string;
  date: string;
  trainer: string;
  durationMinutes: number | null;
  isApiSecurity: boolean;
  firstLine: number;
  userIds: string[];
};
type Plan = {
  preview: AttendancePreview;
  newSessions: NewSession[];
  additions: { sessionId: string; userId: string }[];
};

const ZRowDate = ZDate("date").refine((v) => v <= todayInput(), "date: the session cannot be in the future.");

function yesNo(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (["", "yes", "y", "true", "1"].includes(v)) return true;
  if (["no", "n", "false", "0"].includes(v)) return false;
  return null;
}

async function plan(client: Pick<Tx, "user" | "trainingSession" | "trainingAttendance">, text: string): Promise<Plan> {
  const table = readCsvTable(text, {
    columns: ATTENDANCE_CSV_COLUMNS,
    required: REQUIRED,
    maxBytes: MAX_BYTES,
    maxRows: MAX_ROWS,
  });
  if (table.fileErrors.length)
    return {
      preview: {
        ok: false,
        fileErrors: table.fileErrors,
        rows: [],
        newSessions: 0,
        additions: 0,
        alreadyRecorded: 0,
        invalid: 0,
      },
      newSessions: [],
      additions: [],
    };

  const users = new Map(
    (await client.user.findMany({ select: { id: true, email: true, isActive: true } })).map((u) => [
      u.email.toLowerCase(),
      u,
    ]),
  );
  const sessions = await client.trainingSession.findMany({ select: { id: true, topic: true, heldOn: true } });
  const existing = new Map(sessions.map((s) => [`${s.topic.trim().toLowerCase()}\u0000${fromDate(s.heldOn)}`, s.id]));
  const attended = new Set(
    (
      await client.trainingAttendance.findMany({
        where: { sessionId: { in: sessions.map((s) => s.id) } },
        select: { sessionId: true, userId: true },
      })
    ).map((a) => `${a.sessionId}\u0000${a.userId}`),
  );

  const groups = new Map<string, NewSession>();
  const seen = new Map<string, number>();
  const additions: { sessionId: string; userId: string }[] = [];
  const rows: AttendanceRow[] = table.rows.map(({ line, cells, get }) => {
    const row: AttendanceRow = {
      line,
      email: get("email"),
      topic: get("topic"),
      date: get("date"),
      action: null,
      errors: [],
    };
    if (cells.length > table.header.length)
      row.errors.push(`The row has ${cells.length} cells but the header has ${table.header.length} columns.`);
    const user = users.get(row.email.trim().toLowerCase());
    if (!row.email.trim()) row.errors.push("email: missing.");
    else if (!user) row.errors.push(`email: no user has the address “${row.email}”.`);
    else if (!user.isActive) row.errors.push(`email: ${row.email} is deactivated.`);
    if (!row.topic.trim()) row.errors.push("topic: missing.");
    else if (row.topic.length > 200) row.errors.push("topic: at most 200 characters.");
    const date = ZRowDate.safeParse(row.date);
    if (!date.success) row.errors.push(date.error.issues[0]!.message.replace(/^date must/, "date: must"));
    const duration = get("duration_minutes").trim();
    const minutes = duration === "" ? null : Number(duration);
    if (minutes !== null && !(Number.isInteger(minutes) && minutes >= 5 && minutes <= 1440))
      row.errors.push("duration_minutes: a whole number of minutes from 5 to 1440.");
    const apiSecurity = yesNo(get("api_security"));
    if (apiSecurity === null) row.errors.push("api_security: use yes or no.");
    if (row.errors.length || !user || !date.success) return row;

    const key = `${row.topic.trim().toLowerCase()}\u0000${date.data}`;
    const personKey = `${key}\u0000${user.id}`;
    const earlier = seen.get(personKey);
    if (earlier) {
      row.errors.push(`Duplicate: line ${earlier} already lists ${row.email} for this session.`);
      return row;
    }
    seen.set(personKey, line);
    const sessionId = existing.get(key);
    if (sessionId) {
      row.action = attended.has(`${sessionId}\u0000${user.id}`) ? "already-recorded" : "add";
      if (row.action === "add") additions.push({ sessionId, userId: user.id });
      return row;
    }
    let group = groups.get(key);
    const trainer = get("trainer").trim();
    if (!group) {
      group = {
        key,
        topic: row.topic.trim(),
        date: date.data,
        trainer,
        durationMinutes: minutes,
        isApiSecurity: apiSecurity!,
        firstLine: line,
        userIds: [],
      };
      groups.set(key, group);
      row.action = "create-session";
    } else {
      row.action = "add";
      if (trainer && group.trainer && trainer !== group.trainer)
        row.errors.push(`trainer: line ${group.firstLine} names “${group.trainer}” for the same session.`);
      if (minutes !== null && group.durationMinutes !== null && minutes !== group.durationMinutes)
        row.errors.push(
          `duration_minutes: line ${group.firstLine} gives ${group.durationMinutes} for the same session.`,
        );
      group.trainer ||= trainer;
      group.durationMinutes ??= minutes;
    }
    group.userIds.push(user.id);
    if (row.errors.length) row.action = null;
    return row;
  });
  // A new session needs its trainer and duration from at least one of its rows.
  for (const g of groups.values()) {
    const first = rows.find((r) => r.line === g.firstLine)!;
    if (!g.trainer) first.errors.push(`trainer: needed to create the session “${g.topic}” on ${g.date}.`);
    if (g.durationMinutes === null)
      first.errors.push(`duration_minutes: needed to create the session “${g.topic}” on ${g.date}.`);
    if (first.errors.length) first.action = null;
  }
  const invalid = rows.filter((r) => r.errors.length).length;
  return {
    preview: {
      ok: invalid === 0,
      fileErrors: [],
      rows,
      newSessions: groups.size,
      additions: rows.filter((r) => r.action === "add" || r.action === "create-session").length,
      alreadyRecorded: rows.filter((r) => r.action === "already-recorded").length,
      invalid,
    },
    newSessions: [...groups.values()],
    additions,
  };
}

/** What importing the file would do, row by row. Writes nothing. */
export async function previewAttendanceImport(ctx: WriteContext, text: string): Promise<AttendancePreview> {
  requireRolePermission(ctx.actor, "training:manage");
  return (await plan(db, text)).preview;
}

/** Imports every row or none; the checks run again inside the transaction. */
export async function importAttendance(ctx: WriteContext, text: string): Promise<AttendancePreview> {
  requireRolePermission(ctx.actor, "training:manage");
  const outside = await plan(db, text);
  if (!outside.preview.ok)
    throw new AppError(
      "VALIDATION",
      outside.preview.fileErrors[0] ?? `${outside.preview.invalid} row(s) have errors; nothing was imported.`,
      { file: fileProblems(outside.preview) },
    );
  return authorizedWrite(ctx, { permission: "training:manage" }, async (tx, audit) => {
    const { preview, newSessions, additions } = await plan(tx, text);
    if (!preview.ok) throw new AppError("CONFLICT", "The data changed while importing; check the file again.");
    const entries: AuditInput[] = [];
    for (const g of newSessions) {
      const session = await tx.trainingSession.create({
        data: {
          topic: g.topic,
          heldOn: toDate(g.date)!,
          trainer: g.trainer,
          durationMinutes: g.durationMinutes!,
          isApiSecurity: g.isApiSecurity,
          createdById: ctx.actor.id,
          attendees: { create: g.userIds.map((userId) => ({ userId })) },
        },
      });
      entries.push({
        action: "training.record",
        targetType: "training",
        targetId: session.id,
        summary: `Training “${g.topic}” on ${g.date} recorded with ${g.userIds.length} attendee(s) (CSV import)`,
        after: {
          topic: g.topic,
          heldOn: g.date,
          trainer: g.trainer,
          durationMinutes: g.durationMinutes,
          isApiSecurity: g.isApiSecurity,
          attendeeIds: g.userIds,
        },
      });
    }
    if (additions.length) await tx.trainingAttendance.createMany({ data: additions });
    const bySession = new Map<string, string[]>();
    for (const a of additions) bySession.set(a.sessionId, [...(bySession.get(a.sessionId) ?? []), a.userId]);
    for (const [sessionId, userIds] of bySession)
      entries.push({
        action: "training.attendance.import",
        targetType: "training",
        targetId: sessionId,
        summary: `${userIds.length} attendee(s) added (CSV import)`,
        details: { added: userIds },
      });
    if (!entries.length)
      entries.push({
        action: "training.attendance.import",
        targetType: "training",
        targetId: "-",
        summary: "Attendance import: every row was already recorded",
        details: { rows: preview.rows.length },
      });
    await audit(entries);
    return preview;
  });
}
