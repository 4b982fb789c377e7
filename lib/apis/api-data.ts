import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { decodeList, encodeList } from "@/lib/db/list-column";
import { buildSearchText } from "@/lib/apis/codec";
import { triStateToBool, type TApiInput } from "@/lib/apis/schemas";
import { evaluateApi, type ApiFacts } from "@/lib/apis/rules";
import { CONTROL_COLUMN } from "@/lib/ism/controls";
import { EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import type { AuthMethod, AuthzModel, ControlStatus, Exposure, Lifecycle, Sensitivity } from "@/lib/apis/enums";

/** Each enumeration's position in its declared order, stored beside it so lists sort by meaning. */
export const enumRanks = (v: { lifecycle: Lifecycle; exposure: Exposure; sensitivity: Sensitivity }) => ({
  lifecycleRank: LIFECYCLES.indexOf(v.lifecycle),
  exposureRank: EXPOSURES.indexOf(v.exposure),
  sensitivityRank: SENSITIVITIES.indexOf(v.sensitivity),
});

/** Columns written from a validated form input, including the derived control statuses. */
export function toApiColumns(input: TApiInput, spec: ApiFacts["spec"] = null) {
  const facts: ApiFacts = {
    exposure: input.exposure,
    partnerLinkPrivate: input.exposure === "PARTNER" && input.partnerLinkPrivate,
    modifiesData: triStateToBool(input.modifiesData),
    readsNonPublic: triStateToBool(input.readsNonPublic),
    sensitivity: input.sensitivity,
    authMethods: [...new Set(input.authMethods)],
    authzModel: input.authzModel === "UNKNOWN" ? null : input.authzModel,
    centrallyLogged: triStateToBool(input.centrallyLogged),
    loggingDestination: input.loggingDestination,
    spec,
  };
  const evaluations = evaluateApi(facts);
  const statuses = Object.fromEntries(evaluations.map((e) => [CONTROL_COLUMN[e.controlId], e.status]));
  return {
    name: input.name,
    purpose: input.purpose,
    businessFunction: input.businessFunction,
    teamId: input.teamId,
    ownerId: input.ownerId || null,
    lifecycle: input.lifecycle,
    ...enumRanks(input),
    environments: JSON.stringify(input.environments),
    exposure: facts.exposure,
    partnerLinkPrivate: facts.partnerLinkPrivate,
    readsNonPublic: facts.readsNonPublic,
    modifiesData: facts.modifiesData,
    sensitivity: facts.sensitivity,
    dataCategories: encodeList(input.dataCategories),
    authMethods: encodeList(facts.authMethods),
    authzModel: facts.authzModel,
    authzRoles: encodeList(input.authzRoles),
    centrallyLogged: facts.centrallyLogged,
    loggingDestination: facts.loggingDestination,
    docsUrl: input.docsUrl,
    repoUrl: input.repoUrl,
    openapiUrl: input.openapiUrl,
    tags: encodeList(input.tags.map((t) => t.toLowerCase())),
    searchText: buildSearchText({ ...input, tags: input.tags }),
    hasWarning: evaluations.some((e) => e.warnings.length > 0),
    ism1818: statuses.ism1818!,
    ism2013: statuses.ism2013!,
    ism1817: statuses.ism1817!,
    ism2014: statuses.ism2014!,
    ism1910: statuses.ism1910!,
    ism2015: statuses.ism2015!,
  } as const;
}

type StoredApi = {
  exposure: string;
  partnerLinkPrivate: boolean;
  modifiesData: boolean | null;
  readsNonPublic: boolean | null;
  sensitivity: string;
  authMethods: string;
  authzModel: string | null;
  centrallyLogged: boolean | null;
  loggingDestination: string;
  specAnonWrites: number | null;
  specAnonReads: number | null;
  specAcceptedWrites: number;
  specAcceptedReads: number;
};

/** The attached description's counts as rule facts (null when none is attached). */
export const specFactsOf = (
  row: Pick<StoredApi, "specAnonWrites" | "specAnonReads" | "specAcceptedWrites" | "specAcceptedReads">,
): ApiFacts["spec"] =>
  row.specAnonWrites === null || row.specAnonReads === null
    ? null
    : {
        anonWrites: row.specAnonWrites,
        anonReads: row.specAnonReads,
        acceptedWrites: row.specAcceptedWrites,
        acceptedReads: row.specAcceptedReads,
      };

export function factsOf(row: StoredApi): ApiFacts {
  return {
    exposure: row.exposure as Exposure,
    partnerLinkPrivate: row.partnerLinkPrivate,
    modifiesData: row.modifiesData,
    readsNonPublic: row.readsNonPublic,
    sensitivity: row.sensitivity as Sensitivity,
    authMethods: decodeList<AuthMethod>(row.authMethods),
    authzModel: row.authzModel as AuthzModel | null,
    centrallyLogged: row.centrallyLogged,
    loggingDestination: row.loggingDestination,
    spec: specFactsOf(row),
  };
}

/** The stored control statuses for a set of facts (the same columns toApiColumns writes). */
export function controlColumns(facts: ApiFacts) {
  const evaluations = evaluateApi(facts);
  const statuses = Object.fromEntries(evaluations.map((e) => [CONTROL_COLUMN[e.controlId], e.status])) as Record<
    (typeof CONTROL_COLUMN)[keyof typeof CONTROL_COLUMN],
    ControlStatus
  >;
  return { ...statuses, hasWarning: evaluations.some((e) => e.warnings.length > 0) };
}

/** Team and owner must exist (and the owner be active); reported as field errors. */
export async function checkReferences(tx: Tx, input: Pick<TApiInput, "teamId" | "ownerId">): Promise<void> {
  const errors: Record<string, string[]> = {};
  const team = await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } });
  if (!team) errors.teamId = ["Choose an existing team."];
  if (input.ownerId) {
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { isActive: true } });
    if (!owner || !owner.isActive) errors.ownerId = ["Choose an active user as owner."];
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some fields need attention.", errors);
}

/** The audited form of a stored row: the columns a person would recognise, not derived ones. */
export function auditView(row: Record<string, unknown>): Record<string, unknown> {
  // Derived columns (search text, enumeration ranks) follow the fields they come from; they are not changes.
  const {
    searchText: _s,
    createdAt: _c,
    updatedAt: _u,
    version: _v,
    lifecycleRank: _l,
    exposureRank: _e,
    sensitivityRank: _r,
    ...rest
  } = row;
  return rest;
}
