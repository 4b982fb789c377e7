import "server-only";
import { db, type DbClient } from "@/lib/db/client";
import { DEFAULT_SETTINGS, ZSettings, type TSettings } from "@/lib/settings/schemas";

/**
 * Current settings; a missing or unreadable value falls back to its default. Inside a write pass the
 * transaction (`tx`): the shared `db` is refused there (lib/db/client.ts).
 */
export async function getSettings(client: Pick<DbClient, "appSetting"> = db): Promise<TSettings> {
  const rows = await client.appSetting.findMany();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = { ...DEFAULT_SETTINGS, ...stored };
  const parsed = ZSettings.safeParse(
    Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((k) => [k, merged[k as keyof TSettings]])),
  );
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
