"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { requireActor } from "@/lib/auth/current-actor";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { previewFieldMapping, updateSourceMapping } from "@/lib/traffic/source-mapping";
import { purgeQuarantine, retryQuarantine } from "@/lib/traffic/quarantine";
import { ZId } from "@/lib/input/validation";
import { createTrafficRoute, deleteTrafficRoute, ignoreDiscoveredApi, routeDiscoveredApi } from "@/lib/traffic/routes";

/** Registers a source; its token's secret comes back once, in this response only. */
export async function createTrafficSourceAction(input: unknown) {
  return runAction(async () => {
    const result = await createTrafficSource(await requireWriteContext(), input);
    revalidatePath("/traffic");
    return result;
  });
}

/** What a field mapping reads from a pasted sample: nothing is stored. */
export async function previewFieldMappingAction(input: unknown) {
  return runAction(async () => previewFieldMapping(await requireActor(), input));
}

/** Replaces an "any JSON" source's field mapping. */
export async function updateSourceMappingAction(sourceId: unknown, mapping: unknown) {
  return runAction(async () => {
    const result = await updateSourceMapping(await requireWriteContext(), ZId.parse(sourceId), mapping);
    revalidatePath("/traffic");
    return result;
  });
}

/** Reads the source's quarantined records again; what reads now is stored and leaves the quarantine. */
export async function retryQuarantineAction(sourceId: unknown) {
  return runAction(async () => {
    const result = await retryQuarantine(await requireWriteContext(), ZId.parse(sourceId));
    revalidatePath("/traffic");
    return result;
  });
}

/** Deletes every record in the source's quarantine. */
export async function purgeQuarantineAction(sourceId: unknown) {
  return runAction(async () => {
    const result = await purgeQuarantine(await requireWriteContext(), ZId.parse(sourceId));
    revalidatePath("/traffic");
    return result;
  });
}

/** Adds a routing rule: calls to its host, path prefix or gateway route are events of its API. */
export async function createTrafficRouteAction(input: unknown) {
  return runAction(async () => {
    const result = await createTrafficRoute(await requireWriteContext(), input);
    revalidatePath("/traffic/routing");
    return result;
  });
}

export async function deleteTrafficRouteAction(id: unknown) {
  return runAction(async () => {
    await deleteTrafficRoute(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/traffic/routing");
  });
}

/** Routes a discovered API's host and prefix to one of its team's APIs from now on. */
export async function routeDiscoveredApiAction(id: unknown, apiId: unknown) {
  return runAction(async () => {
    const result = await routeDiscoveredApi(await requireWriteContext(), ZId.parse(id), ZId.parse(apiId));
    revalidatePath("/traffic/routing");
    return result;
  });
}

/** Ignores a discovered API, with the reason. */
export async function ignoreDiscoveredApiAction(id: unknown, input: unknown) {
  return runAction(async () => {
    await ignoreDiscoveredApi(await requireWriteContext(), ZId.parse(id), input);
    revalidatePath("/traffic/routing");
  });
}
