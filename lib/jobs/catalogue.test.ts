import { describe, expect, it } from "vitest";
import { claimSeconds, jobSettings, jobsRunIn, retriesFor, retrySeconds } from "@/lib/jobs/catalogue";

// Settings as the process would have them.
const env = (values: Record<string, string> = {}) => values as NodeJS.ProcessEnv;

describe("job settings", () => {
  it("APILEDGER_JOBS is server (default) or worker; anything else is refused, naming the setting", () => {
    expect(jobsRunIn(env())).toBe("server");
    expect(jobsRunIn(env({ APILEDGER_JOBS: " worker " }))).toBe("worker");
    for (const v of ["Server", "workers", "worker\u0000", "\u202Eworker", "=worker", "<b>worker</b>"])
      expect(() => jobsRunIn(env({ APILEDGER_JOBS: v })), v).toThrow(/APILEDGER_JOBS/);
  });
  it("APILEDGER_JOB_RETRY_SECONDS takes whole seconds 1-3600 only", () => {
    expect(retrySeconds(env())).toBe(30);
    expect(retrySeconds(env({ APILEDGER_JOB_RETRY_SECONDS: "1" }))).toBe(1);
    for (const v of ["0", "3601", "1e3", "0x1f", "30s", "-1", "1.5", "30\u0000", "\u202E30", "\uD800"])
      expect(() => retrySeconds(env({ APILEDGER_JOB_RETRY_SECONDS: v })), v).toThrow(/APILEDGER_JOB_RETRY_SECONDS/);
  });
  it("APILEDGER_JOB_CLAIM_SECONDS sets every job's claim, in whole seconds 1-3600; unset, each job's own", () => {
    const claims = (values: Record<string, string>) => [...jobSettings(env(values)).values()].map((s) => s.claim);
    expect(new Set(claims({ APILEDGER_JOB_CLAIM_SECONDS: "4" }))).toEqual(new Set([4]));
    expect(claims({})).toEqual([...jobSettings(env()).values()].map((s) => claimSeconds(s.every)));
    expect(claims({})).toContain(2880);
    for (const v of ["0", "3601", "1e3", "4s", "-4", "4\u0000", "\u202E4"])
      expect(() => jobSettings(env({ APILEDGER_JOB_CLAIM_SECONDS: v })), v).toThrow(/APILEDGER_JOB_CLAIM_SECONDS/);
  });
  it("retries only while they fit in half the interval; claims of 2 to 50 minutes", () => {
    expect(retriesFor(3600, 30)).toBe(3);
    expect(retriesFor(60, 30)).toBe(0);
    expect(retriesFor(30, 30)).toBe(0);
    expect(retriesFor(600, 30)).toBe(2);
    expect([claimSeconds(30), claimSeconds(3600), claimSeconds(86_400)]).toEqual([120, 2880, 3000]);
  });
});
