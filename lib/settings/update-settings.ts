import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { ZSettings } from "@/lib/settings/schemas";
import { getSettings } from "@/lib/settings/queries";

export async function updateSettings(ctx: WriteContext, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "settings:manage");
  const input = parseOrThrow(ZSettings, rawInput);
  const before = await getSettings();
  await authorizedWrite(ctx, { permission: "settings:manage" }, async (tx, audit) => {
    for (const [key, value] of Object.entries(input)) {
      await tx.appSetting.upsert({
        where: { key },
        create: { key, value: String(value) },
        update: { value: String(value) },
      });
    }
    await audit({
      action: "settings.update",
      targetType: "settings",
      targetId: "installation",
      summary: "Updated installation settings",
      before,
      after: input,
    });
  });
}
