import "server-only";
import os from "node:os";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "background-jobs@apiledger" };

/** This process as a job run names it (the Settings page shows which instance or worker ran what). */
export const JOB_RUNNER = `${os.hostname()}:${process.pid}`;

export type RunOutcome = { startedAt: Date; endedAt: Date; ok: boolean; summary: string };

/** Records one run of a job: its outcome, and the counts the Settings page shows. */
export async function recordJobRun(name: string, run: RunOutcome): Promise<void> {
  const summary = run.summary.slice(0, 500);
  await authorizedWrite(
    { actor: SYSTEM },
    { permission: "jobs:record-run", countsOnly: "jobs:record-run" },
    async (tx) => {
      const last = await tx.jobRun.findUnique({ where: { name }, select: { failingSince: true } });
      const fields = {
        lastStartedAt: run.startedAt,
        lastEndedAt: run.endedAt,
        lastOk: run.ok,
        lastSummary: summary,
        lastRunner: JOB_RUNNER,
        // The first failure after a success starts the streak; a success ends it.
        failingSince: run.ok ? null : (last?.failingSince ?? run.startedAt),
        ...(run.ok ? { lastOkAt: run.endedAt } : {}),
      };
      await tx.jobRun.upsert({
        where: { name },
        create: { name, ...fields, runs: 1, failures: run.ok ? 0 : 1 },
        update: { ...fields, runs: { increment: 1 }, ...(run.ok ? {} : { failures: { increment: 1 } }) },
      });
    },
  );
}
