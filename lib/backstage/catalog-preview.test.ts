import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { BackstageCatalogPreview } from "@/lib/backstage/import-backstage-catalog";
import type { ZCatalogPreview } from "@/lib/rest/openapi/backstage-import-view";

// The REST description's schema of the import's answer is written beside the description (see
// lib/rest/openapi/backstage-import-view.ts); the typecheck of this file keeps it the preview's own type.
describe("the Backstage import's answer", () => {
  it("is described exactly as the preview's type", () => {
    expectTypeOf<z.infer<typeof ZCatalogPreview>>().toEqualTypeOf<BackstageCatalogPreview>();
  });
});
