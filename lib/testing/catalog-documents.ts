import { parseAllDocuments } from "yaml";

/** A Backstage entity as the catalog export writes it, loose enough for tests to read and change. */
export type CatalogEntity = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    title?: string;
    description?: string;
    annotations: Record<string, string>;
    [field: string]: unknown;
  };
  spec: { owner: string; lifecycle: string; [field: string]: unknown };
};

/** The entities of a catalog YAML stream, of one kind when given (tests only: no bounds, no validation). */
export function catalogDocuments(yaml: string, kind?: string): CatalogEntity[] {
  return parseAllDocuments(yaml)
    .flatMap((d) => ("toJS" in d ? [d.toJS() as CatalogEntity] : []))
    .filter((e) => !kind || e.kind === kind);
}
