import "server-only";
import { db } from "@/lib/db";
import { DEFAULT_SETTINGS, ZSettings, type TSettings } from "@/lib/settings/schemas";

/** Current settings; a missing or unreadable value falls back to its default. */
export async function getSettings(): Promise<TSettings> {
  const rows = await db.appSetting.findMany();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = { ...DEFAULT_SETTINGS, ...stored };
  const parsed = ZSettings.safeParse(Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((k) => [k, merged[k as keyof TSettings]])));
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
