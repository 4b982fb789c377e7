import type { getApi } from "@/lib/apis/queries";
import type { getOfficialControls } from "@/lib/ism/queries";
import type { evaluateApi } from "@/lib/apis/rules";

// What the API page's sections are given, as the queries return it.
export type ApiRecord = Awaited<ReturnType<typeof getApi>>;
export type Evaluations = ReturnType<typeof evaluateApi>;
export type OfficialControls = Awaited<ReturnType<typeof getOfficialControls>>;
