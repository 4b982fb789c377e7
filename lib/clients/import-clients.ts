import "server-only";
import { randomUUID } from "node:crypto";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { can, requireRolePermission, type Target } from "@/lib/authz/policy";
import { db, dbProvider } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/input/validation";
import { fileProblems, readCsvTable } from "@/lib/csv/csv-reader";
import { CLIENT_KINDS, CLIENT_LABELS, CREDENTIAL_TYPES } from "@/lib/clients/enums";
import { ZClientInput, type TClientInput } from "@/lib/clients/schemas";
import { clientAuditView, toClientColumns } from "@/lib/clients/client-data";

// Bulk import of clients and grants from CSV. The preview and the import run the same checks; a file
// with any bad row imports nothing. A row whose API already has a client of that name updates it.
export const CLIENT_CSV_COLUMNS = [
  "api",
  "client",
  "kind",
  "credential_type",
  "scopes",
  "can_modify",
  "approved_by",
  "approved_at",
  "issued_at",
  "expires_at",
  "rotated_at",
  "last_seen_at",
  "notes",
] as const;
const REQUIRED = ["api", "client", "kind", "credential_type"] as const;
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_CSV_ROWS = 20_000;

export type ImportRow = {
  line: number;
  api: string;
  client: string;
  action: "create" | "update" | null;
  errors: string[];
};
export type ImportPreview = {
  ok: boolean;
  fileErrors: string[];
  rows: ImportRow[];
  creates: number;
  updates: number;
  invalid: number;
};

const newClientId = () => `c${randomUUID().replace(/-/g, "").slice(0, 24)}`;

type Planned = { row: ImportRow; apiId: string; target: Target; input: TClientInput; existingId: string | null };

/** Accepts the enum value or its label, in any case ("Service account", "SERVICE_ACCOUNT", "service_account"). */
function enumValue<T extends string>(raw: string, values: readonly T[], labels: Record<T, string>): T | string {
  const norm = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return (
    values.find((v) => v.toLowerCase() === norm || labels[v].toLowerCase().replace(/[\s-]+/g, "_") === norm) ??
    raw.trim()
  );
}

function yesNo(raw: string): boolean | string {
  const v = raw.trim().toLowerCase();
  if (["yes", "y", "true", "1"].includes(v)) return true;
  if (["no", "n", "false", "0", ""].includes(v)) return false;
  return raw;
}

const FIELD_LABEL: Record<string, string> = {
  name: "client",
  kind: "kind",
  credentialType: "credential_type",
  scopes: "scopes",
  canModify: "can_modify",
  approvedBy: "approved_by",
  approvedAt: "approved_at",
  credentialIssuedAt: "issued_at",
  credentialExpiresAt: "expires_at",
  credentialRotatedAt: "rotated_at",
  lastSeenAt: "last_seen_at",
  notes: "notes",
};

async function plan(
  client: Pick<Tx, "api" | "apiClient">,
  ctx: WriteContext,
  text: string,
): Promise<{ preview: ImportPreview; planned: Planned[] }> {
  const table = readCsvTable(text, {
    columns: CLIENT_CSV_COLUMNS,
    required: REQUIRED,
    maxBytes: MAX_CSV_BYTES,
    maxRows: MAX_CSV_ROWS,
  });
  if (table.fileErrors.length)
    return {
      preview: { ok: false, fileErrors: table.fileErrors, rows: [], creates: 0, updates: 0, invalid: 0 },
      planned: [],
    };

  const apis = await client.api.findMany({
    where: { deletedAt: null },
    select: { id: true, name: true, ownerId: true, teamId: true },
  });
  const byName = new Map<string, typeof apis>();
  for (const a of apis) byName.set(a.name.toLowerCase(), [...(byName.get(a.name.toLowerCase()) ?? []), a]);
  const existing = await client.apiClient.findMany({ select: { id: true, apiId: true, name: true } });
  const existingKey = new Map(existing.map((c) => [`${c.apiId}\u0000${c.name}`, c.id]));

  const seen = new Map<string, number>();
  const planned: Planned[] = [];
  const rows: ImportRow[] = table.rows.map(({ line, cells, get }) => {
    const row: ImportRow = { line, api: get("api"), client: get("client"), action: null, errors: [] };
    if (cells.length > table.header.length)
      row.errors.push(`The row has ${cells.length} cells but the header has ${table.header.length} columns.`);
    const matches = byName.get(row.api.trim().toLowerCase()) ?? [];
    if (!row.api.trim()) row.errors.push("api: the API name is missing.");
    else if (matches.length === 0) row.errors.push(`api: no API is named “${row.api}”.`);
    else if (matches.length > 1)
      row.errors.push(`api: ${matches.length} APIs are named “${row.api}”; rename one to import by name.`);
    const api = matches.length === 1 ? matches[0]! : null;
    if (api && !can(ctx.actor, "client:manage", api))
      row.errors.push("api: you cannot manage the clients of this API.");
    const raw = {
      name: row.client,
      kind: enumValue(get("kind"), CLIENT_KINDS, CLIENT_LABELS.kind),
      credentialType: enumValue(get("credential_type"), CREDENTIAL_TYPES, CLIENT_LABELS.credentialType),
      scopes: get("scopes")
        .split(/[;|]/)
        .map((s) => s.trim())
        .filter(Boolean),
      canModify: yesNo(get("can_modify")),
      approvedBy: get("approved_by"),
      approvedAt: get("approved_at"),
      credentialIssuedAt: get("issued_at"),
      credentialExpiresAt: get("expires_at"),
      credentialRotatedAt: get("rotated_at"),
      lastSeenAt: get("last_seen_at"),
      notes: get("notes"),
    };
    const parsed = ZClientInput.safeParse(raw);
    if (!parsed.success) {
      for (const [field, messages] of Object.entries(fieldErrorsOf(parsed.error))) {
        const column = FIELD_LABEL[field.split(".")[0]!] ?? field;
        row.errors.push(`${column}: ${messages[0]}${field === "canModify" ? " (use yes or no)" : ""}`);
      }
    }
    if (api) {
      const key = `${api.id}\u0000${row.client.trim()}`;
      const earlier = seen.get(key);
      if (earlier)
        row.errors.push(`Duplicate grant: line ${earlier} already lists client “${row.client}” for this API.`);
      else seen.set(key, line);
      if (parsed.success && row.errors.length === 0) {
        const existingId = existingKey.get(key) ?? null;
        row.action = existingId ? "update" : "create";
        planned.push({
          row,
          apiId: api.id,
          target: { ownerId: api.ownerId, teamId: api.teamId },
          input: parsed.data,
          existingId,
        });
      }
    }
    return row;
  });
  const invalid = rows.filter((r) => r.errors.length > 0).length;
  return {
    preview: {
      ok: invalid === 0,
      fileErrors: [],
      rows,
      creates: planned.filter((p) => p.row.action === "create").length,
      updates: planned.filter((p) => p.row.action === "update").length,
      invalid,
    },
    planned,
  };
}

/** What importing the file would do, row by row. Writes nothing. */
export async function previewClientImport(ctx: WriteContext, text: string): Promise<ImportPreview> {
  requireRolePermission(ctx.actor, "client:manage");
  return (await plan(db, ctx, text)).preview;
}

/** Imports every row or none: the checks run again inside the transaction. */
export async function importClients(ctx: WriteContext, text: string): Promise<ImportPreview> {
  requireRolePermission(ctx.actor, "client:manage");
  const outside = await plan(db, ctx, text);
  if (!outside.preview.ok)
    throw new AppError(
      "VALIDATION",
      outside.preview.fileErrors[0] ?? `${outside.preview.invalid} row(s) have errors; nothing was imported.`,
      { file: fileProblems(outside.preview) },
    );
  return authorizedWrite(
    ctx,
    { permission: "client:manage", loadTarget: async () => outside.planned.map((p) => p.target) },
    async (tx, audit) => {
      const { preview, planned } = await plan(tx, ctx, text);
      if (!preview.ok) throw new AppError("CONFLICT", "The data changed while importing; preview the file again.");
      const now = new Date();
      const creates = planned
        .filter((p) => !p.existingId)
        .map((p) => ({
          id: newClientId(),
          apiId: p.apiId,
          ...toClientColumns(p.input),
          version: 1,
          createdAt: now,
          updatedAt: now,
        }));
      // New clients in multi-row INSERTs (an import can carry tens of thousands), one audit entry each.
      await bulkInsert(tx, dbProvider(), "ApiClient", creates);
      const entries: AuditInput[] = creates.map((c) => {
        const { createdAt: _c, updatedAt: _u, version: _v, ...after } = c;
        return {
          action: "client.create",
          targetType: "api",
          targetId: c.apiId,
          summary: `Granted access to client “${c.name}” (CSV import)`,
          after,
        };
      });
      for (const p of planned.filter((x) => x.existingId)) {
        const before = await tx.apiClient.findUniqueOrThrow({ where: { id: p.existingId! } });
        const after = await tx.apiClient.update({
          where: { id: p.existingId! },
          data: { ...toClientColumns(p.input), version: { increment: 1 } },
        });
        entries.push({
          action: "client.update",
          targetType: "api",
          targetId: p.apiId,
          summary: `Changed the grant of client “${after.name}” (CSV import)`,
          before: clientAuditView(before),
          after: clientAuditView(after),
        });
      }
      await audit(entries);
      return preview;
    },
  );
}
