// What POST /api/v1/backstage/import answers: the preview of the catalog (what each entity creates,
// updates or leaves; lib/backstage/import-backstage-catalog.ts) and whether it was a dry run. The REST
// description's schema comes from here. It is kept beside the description rather than in lib/backstage
// because lib/backstage already imports lib/rest (the bounded body); lib/backstage/catalog-preview.test.ts
// fails the typecheck if the preview's type and this view drift apart.
import { z } from "zod";

const ZCatalogRow = z.object({
  line: z.int().meta({ description: "The entity's place in the file (1 for the first document)" }),
  name: z.string(),
  action: z.enum(["create", "update", "unchanged", "skipped"]).nullable().meta({ description: "null when invalid" }),
  changes: z.array(z.string()).meta({ description: "The fields an update changes, with old and new values" }),
  errors: z.array(z.string()),
  notes: z.array(z.string()).optional(),
});
export const ZCatalogPreview = z.object({
  ok: z.boolean().meta({ description: "No entity is invalid" }),
  fileErrors: z.array(z.string()),
  rows: z.array(ZCatalogRow),
  creates: z.int().min(0),
  updates: z.int().min(0),
  invalid: z.int().min(0),
});

export const ZCatalogImportView = ZCatalogPreview.extend({
  dryRun: z.boolean().meta({ description: "true: nothing was written" }),
});
