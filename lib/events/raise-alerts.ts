import "server-only";
import type { Tx } from "@/lib/db/client";
import { queueNotifications } from "@/lib/notifications/notify";
import { getSettings } from "@/lib/settings/queries";
import type { TAuthEvent } from "@/lib/events/schemas";
import { FAILURES } from "@/lib/events/outcomes";
import { yieldToEventLoop } from "@/lib/runtime/event-loop";
import { failuresWithin, minuteOf, recordFailureMinutes } from "@/lib/events/failure-minutes";
import { appLink, queueWebhookEvent } from "@/lib/webhooks/events";

type Failure = TAuthEvent & { at: Date };

/**
 * For each API, client and source address with failures in the batch: count the failures in the
 * rule's window ending at the latest one; over the threshold, raise an alert (or extend the open one
 * for the same key) and notify the API's owner and the admins. Runs inside the ingest transaction.
 */
export async function raiseAlerts(tx: Tx, failures: Failure[]): Promise<number> {
  if (!failures.length) return 0;
  const settings = await getSettings(tx);
  const byKey = new Map<string, { apiId: string; kind: "client" | "source"; value: string; last: Date }>();
  for (const f of failures) {
    for (const [kind, value] of [
      ["client", f.clientId],
      ["source", f.sourceIp],
    ] as const) {
      if (!value) continue;
      const key = `${f.api}\u0000${kind}\u0000${value}`;
      const k = byKey.get(key);
      if (!k || f.at > k.last) byKey.set(key, { apiId: f.api, kind, value, last: f.at });
    }
  }
  const apiIds = [...new Set(failures.map((f) => f.api))];
  const rules = new Map(
    (await tx.authAlertRule.findMany({ where: { apiId: { in: apiIds } } })).map((r) => [r.apiId, r]),
  );
  const ruleOf = (apiId: string) =>
    rules.get(apiId) ?? { threshold: settings.alertThreshold, windowMinutes: settings.alertWindowMinutes };
  // Summed from the failures kept per minute (lib/events/failure-minutes.ts), never from the raw events: a
  // window can hold millions of calls. First one grouped sum per key over the span of every key's window,
  // which can only over-count, keeping the keys above the lowest threshold; then an exact count for those.
  await recordFailureMinutes(tx, failures);
  const keys = [...byKey.values()];
  const from = new Date(Math.min(...keys.map((k) => k.last.getTime() - ruleOf(k.apiId).windowMinutes * 60_000)));
  const to = new Date(Math.max(...keys.map((k) => k.last.getTime())));
  const lowest = Math.min(...apiIds.map((id) => ruleOf(id).threshold));
  const candidates = new Set<string>();
  for (const g of await tx.authFailureMinute.groupBy({
    by: ["apiId", "keyKind", "keyValue"],
    where: { apiId: { in: apiIds }, minute: { gte: minuteOf(from), lte: to } },
    _sum: { count: true },
    having: { count: { _sum: { gt: lowest } } },
  })) {
    candidates.add(`${g.apiId}\u0000${g.keyKind}\u0000${g.keyValue}`);
  }
  let raised = 0;
  for (const k of keys.filter((k) => candidates.has(`${k.apiId}\u0000${k.kind}\u0000${k.value}`))) {
    await yieldToEventLoop();
    const rule = ruleOf(k.apiId);
    const windowStart = new Date(k.last.getTime() - rule.windowMinutes * 60_000);
    const count = await failuresWithin(
      tx,
      { apiId: k.apiId, kind: k.kind, value: k.value },
      windowStart,
      k.last,
      FAILURES,
    );
    if (count <= rule.threshold) continue;
    const open = await tx.authAlert.findFirst({
      where: {
        apiId: k.apiId,
        keyKind: k.kind,
        keyValue: k.value,
        acknowledgedAt: null,
        windowEnd: { gte: windowStart },
      },
      orderBy: { raisedAt: "desc" },
    });
    if (open) {
      await tx.authAlert.update({
        where: { id: open.id },
        data: {
          failures: Math.max(open.failures, count),
          windowEnd: k.last > open.windowEnd ? k.last : open.windowEnd,
        },
      });
      continue;
    }
    const alert = await tx.authAlert.create({
      data: { apiId: k.apiId, keyKind: k.kind, keyValue: k.value, failures: count, windowStart, windowEnd: k.last },
    });
    raised++;
    const api = await tx.api.findUniqueOrThrow({ where: { id: k.apiId }, select: { name: true, ownerId: true } });
    const admins = await tx.user.findMany({
      where: { role: "ADMIN", isActive: true, isServiceAccount: false },
      select: { id: true },
    });
    const recipients = [...new Set([api.ownerId, ...admins.map((a) => a.id)].filter((v): v is string => !!v))];
    const text = `${count} failed authentications on ${api.name} from ${k.kind === "client" ? `client ${k.value}` : `address ${k.value}`} within ${rule.windowMinutes} min`;
    await queueNotifications(
      tx,
      recipients.map((userId) => ({
        userId,
        kind: "auth-alert",
        text,
        link: `/apis/${k.apiId}/events`,
        dedupeKey: `auth-alert:${alert.id}:${userId}`,
      })),
    );
    await queueWebhookEvent(tx, {
      type: "alert.raised",
      dedupeKey: `alert:${alert.id}`,
      data: {
        alertId: alert.id,
        apiId: k.apiId,
        api: api.name,
        [k.kind === "client" ? "clientId" : "sourceIp"]: k.value,
        failures: count,
        windowMinutes: rule.windowMinutes,
        windowStart: windowStart.toISOString(),
        windowEnd: k.last.toISOString(),
        link: appLink(`/apis/${k.apiId}/events`),
      },
    });
  }
  return raised;
}
