import { boolToTriState, type TApiInput } from "@/lib/apis/schemas";
import type { ApiDetail } from "@/lib/apis/queries";

/** The edit form's starting values for an API as the detail query returns it. */
export function toEditInput(api: ApiDetail): TApiInput {
  return {
    name: api.name,
    purpose: api.purpose,
    businessFunction: api.businessFunction,
    teamId: api.teamId,
    ownerId: api.ownerId ?? "",
    lifecycle: api.lifecycle,
    environments: api.environments,
    exposure: api.exposure,
    partnerLinkPrivate: api.partnerLinkPrivate,
    readsNonPublic: boolToTriState(api.readsNonPublic),
    modifiesData: boolToTriState(api.modifiesData),
    sensitivity: api.sensitivity,
    dataCategories: api.dataCategories,
    authMethods: api.authMethods,
    authzModel: api.authzModel ?? "UNKNOWN",
    authzRoles: api.authzRoles,
    centrallyLogged: boolToTriState(api.centrallyLogged),
    loggingDestination: api.loggingDestination,
    docsUrl: api.docsUrl,
    repoUrl: api.repoUrl,
    openapiUrl: api.openapiUrl,
    tags: api.tags,
  };
}
