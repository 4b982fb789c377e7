import "server-only";
import type { Tx } from "@/lib/audit/authorized-write";
import { queueNotifications } from "@/lib/notifications/notify";
import { getSettings } from "@/lib/settings/queries";
import { FAILURES, type TAuthEvent } from "@/lib/events/schemas";

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
    for (const [kind, value] of [["client", f.clientId], ["source", f.sourceIp]] as const) {
      if (!value) continue;
      const key = `${f.api}\u0000${kind}\u0000${value}`;
      const k = byKey.get(key);
      if (!k || f.at > k.last) byKey.set(key, { apiId: f.api, kind, value, last: f.at });
    }
  }
  const apiIds = [...new Set(failures.map((f) => f.api))];
  const rules = new Map((await tx.authAlertRule.findMany({ where: { apiId: { in: apiIds } } })).map((r) => [r.apiId, r]));
  const ruleOf = (apiId: string) => rules.get(apiId) ?? { threshold: settings.alertThreshold, windowMinutes: settings.alertWindowMinutes };
  // One read of the recent failures of these APIs (this batch's included), counted per key in memory:
  // a batch with hundreds of failing keys costs one query, not one per key.
  const keys = [...byKey.values()];
  const from = new Date(Math.min(...keys.map((k) => k.last.getTime() - ruleOf(k.apiId).windowMinutes * 60_000)));
  const to = new Date(Math.max(...keys.map((k) => k.last.getTime())));
  const recent = await tx.authEvent.findMany({ where: { apiId: { in: apiIds }, outcome: { in: [...FAILURES] }, at: { gte: from, lte: to } }, select: { apiId: true, clientId: true, sourceIp: true, at: true } });
  const timesByKey = new Map<string, number[]>();
  for (const e of recent) {
    for (const [kind, value] of [["client", e.clientId], ["source", e.sourceIp]] as const) {
      if (!value) continue;
      const key = `${e.apiId}\u0000${kind}\u0000${value}`;
      const times = timesByKey.get(key);
      if (times) times.push(e.at.getTime());
      else timesByKey.set(key, [e.at.getTime()]);
    }
  }
  let raised = 0;
  for (const k of keys) {
    const rule = ruleOf(k.apiId);
    const windowStart = new Date(k.last.getTime() - rule.windowMinutes * 60_000);
    const count = (timesByKey.get(`${k.apiId}\u0000${k.kind}\u0000${k.value}`) ?? []).filter((t) => t >= windowStart.getTime() && t <= k.last.getTime()).length;
    if (count <= rule.threshold) continue;
    const open = await tx.authAlert.findFirst({ where: { apiId: k.apiId, keyKind: k.kind, keyValue: k.value, acknowledgedAt: null, windowEnd: { gte: windowStart } }, orderBy: { raisedAt: "desc" } });
    if (open) {
      await tx.authAlert.update({ where: { id: open.id }, data: { failures: Math.max(open.failures, count), windowEnd: k.last > open.windowEnd ? k.last : open.windowEnd } });
      continue;
    }
    const alert = await tx.authAlert.create({ data: { apiId: k.apiId, keyKind: k.kind, keyValue: k.value, failures: count, windowStart, windowEnd: k.last } });
    raised++;
    const api = await tx.api.findUniqueOrThrow({ where: { id: k.apiId }, select: { name: true, ownerId: true } });
    const admins = await tx.user.findMany({ where: { role: "ADMIN", isActive: true, isServiceAccount: false }, select: { id: true } });
    const recipients = [...new Set([api.ownerId, ...admins.map((a) => a.id)].filter((v): v is string => !!v))];
    const text = `${count} failed authentications on ${api.name} from ${k.kind === "client" ? `client ${k.value}` : `address ${k.value}`} within ${rule.windowMinutes} min`;
    await queueNotifications(tx, recipients.map((userId) => ({ userId, kind: "auth-alert", text, link: `/apis/${k.apiId}/events`, dedupeKey: `auth-alert:${alert.id}:${userId}` })));
  }
  return raised;
}
