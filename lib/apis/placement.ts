import "server-only";
import type { Tx } from "@/lib/db/client";
import { can, type Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";

// Where an API sits — its team and its owner — decides who may change and delete it and who reviews
// it, so changing either is its own policy action (api:move-team, api:assign-owner), checked besides
// api:create / api:update wherever a team or owner is set: the form and REST create and update, and
// the Backstage import (which writes through the same two functions).

export type Placement = { teamId: string; ownerId: string | null };
export type PlacementProblem = { field: "teamId" | "ownerId"; message: string };

const MOVE_REFUSED = "Only an administrator can move an API to another team.";
const OWNER_REFUSED =
  "On your team’s APIs you can name as owner only yourself or another member of your team; an administrator can name anyone.";

/**
 * Why the actor may not place an API there, or null. `before` is null for a new API; `ownerTeamId` is
 * the team of the person named as owner (loaded by the caller).
 */
export function placementProblem(
  actor: Actor,
  before: Placement | null,
  after: Placement,
  ownerTeamId: string | null,
): PlacementProblem | null {
  if (
    before &&
    before.teamId !== after.teamId &&
    !can(actor, "api:move-team", { teamId: after.teamId, ownerId: after.ownerId })
  )
    return { field: "teamId", message: MOVE_REFUSED };
  // Registering an API with no owner names nobody; every other change of owner (including to none) is an assignment.
  const ownerChanged = before ? before.ownerId !== after.ownerId : after.ownerId !== null;
  if (ownerChanged && !can(actor, "api:assign-owner", { teamId: after.teamId, ownerId: after.ownerId, ownerTeamId }))
    return { field: "ownerId", message: OWNER_REFUSED };
  return null;
}

/**
 * The placement checks inside the write's transaction: the policy's, then independence — the new
 * owner must not be the reviewer of this API's open access review. Refusing the change (rather than
 * dropping the reviewer) keeps the review's assignment an admin's deliberate, audited step, and a
 * reviewer cannot get out of a review, or into their own API, by a change of owner.
 */
export async function requirePlacement(
  tx: Tx,
  actor: Actor,
  apiId: string | null,
  before: Placement | null,
  after: Placement,
): Promise<void> {
  const owner = after.ownerId
    ? await tx.user.findUnique({ where: { id: after.ownerId }, select: { teamId: true } })
    : null;
  const problem = placementProblem(actor, before, after, owner?.teamId ?? null);
  if (problem) throw new AppError("FORBIDDEN", problem.message, { [problem.field]: [problem.message] });
  if (!apiId || !after.ownerId || before?.ownerId === after.ownerId) return;
  const review = await tx.review.findFirst({
    where: { apiId, reviewerId: after.ownerId, status: { not: "SIGNED_OFF" } },
    select: { campaign: { select: { quarter: true } } },
  });
  if (review) {
    const message = `That person is the reviewer of this API’s open ${review.campaign.quarter} access review, and a reviewer never reviews their own API. An administrator must reassign the review first.`;
    throw new AppError("CONFLICT", message, { ownerId: [message] });
  }
}

type Choice = { id: string; name: string };

/**
 * The teams and owners the API form offers: exactly the placements the policy would allow from here
 * (the current ones always shown), with a line saying why the lists are shorter than the organisation.
 */
export function placementChoices<U extends Choice & { teamId: string | null }>(
  actor: Actor,
  all: { teams: Choice[]; users: U[] },
  current: Placement | null,
) {
  const teams = all.teams.filter(
    (t) => t.id === current?.teamId || can(actor, current ? "api:move-team" : "api:create", { teamId: t.id }),
  );
  const users = all.users.filter(
    (u) =>
      u.id === current?.ownerId ||
      teams.some((t) => can(actor, "api:assign-owner", { teamId: t.id, ownerId: u.id, ownerTeamId: u.teamId })),
  );
  return {
    teams,
    users,
    teamHint:
      teams.length < all.teams.length ? (current ? MOVE_REFUSED : "You register APIs into your own team.") : undefined,
    ownerHint:
      users.length < all.users.length
        ? "Yourself or a member of the API’s team; an administrator can name anyone."
        : undefined,
  };
}
