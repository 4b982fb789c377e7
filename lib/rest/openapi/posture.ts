import { ZScanReportView, ZScanResultView } from "@/lib/openapi-scan/scan-view";
import { view } from "@/lib/rest/openapi/shared";

// The schemas of the Posture scan tag (its paths are with the inventory's, lib/rest/openapi/inventory.ts):
// what attaching a description answers (ScanResult), and the attached description's report (ScanReport),
// from the views the routes answer with (lib/openapi-scan/scan-view.ts).
export const postureSchemas = () => ({
  ScanResult: view(ZScanResultView),
  ScanReport: view(ZScanReportView),
});
