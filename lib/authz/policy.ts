// The whole authorisation policy of ApiLedger, in one place: role × permission, plus object-level rules.
// Every server action, query and route handler asks `can`/`requirePermission` here; the write path
// (lib/audit/authorized-write.ts) refuses to open a transaction without a granted permission.
// Deny by default: a permission missing from a role's table is a type error, and lib/authz/policy.test.ts
// walks every role × permission so a new one cannot ship without a decided rule.
import { AppError } from "@/lib/errors";

export const ROLES = ["ADMIN", "SYSTEM_OWNER", "MANAGER", "AUDITOR"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "api:read",
  "api:create",
  "api:update",
  "api:delete",
  "api:export",
  // Where an API sits, as actions of their own (checked besides api:create / api:update): naming its
  // owner (target: the API's team, the person named and that person's team) and moving it to another
  // team (target: the destination team). Without them an owner could register an API owned by another
  // team's owner, or carry their own API into another team.
  "api:assign-owner",
  "api:move-team",
  "user:read",
  "user:manage",
  "team:manage",
  "ism:read",
  "ism:import",
  "audit:read",
  // Evidence bundles for auditors (target: the scope's one team, when it is limited to one).
  "evidence:export",
  "security-alerts:read",
  // Clients and grants of an API (target: the API's owner and team).
  "client:manage",
  "settings:manage",
  // Registering outgoing webhooks, turning them on or off and sending a test event (Settings).
  "webhooks:manage",
  // Access reviews (target: the reviewer, the reviewed API's owner and team). Campaigns are opened and
  // reassigned by admins; a review's content is edited and signed off only by its reviewer, never by
  // the API's own owner (independence) and never after sign-off; actions are completed by their owner.
  "review:read",
  "review:manage-campaign",
  "review:edit",
  "follow-up:update",
  // OpenAPI finding triage: accepting a finding as a risk or marking it a false positive is asked for
  // by whoever may edit the API (target: the API's owner and team), and decided by the approver they
  // named, never by the person who asked (target.ownerId = who asked, reviewerId = the approver, teamId
  // = the API's team, locked once decided); a manager approves only for their own team.
  "finding:triage",
  "finding:approve",
  // Incidents: anyone but an auditor reports one; its handler (or an admin) works it; closed ones are
  // read-only (target.locked) except for addenda, which pass the target without the lock. An incident
  // concerns the teams of the APIs it affects (target.teamIds).
  "incident:read",
  "incident:report",
  "incident:handle",
  // Policies, standards, procedures and training materials. Versions are uploaded by managers and
  // admins and approved by one of them who did not upload that version (target.ownerId = uploader;
  // locked once it is no longer a draft).
  "document:read",
  "document:manage",
  "document:approve",
  // Training sessions and attendance.
  "training:read",
  "training:manage",
  // Software acquisition checklists: requested by anyone but an auditor, filled in by the requester or
  // the assigned reviewer (target.ownerId = requester), decided by the reviewer; locked once decided.
  "acquisition:read",
  "acquisition:request",
  "acquisition:edit",
  "acquisition:decide",
  "acquisition:manage-questions",
  // API tokens: everyone manages their own (target.ownerId = the token's user); admins those of
  // service accounts. Tokens themselves can never manage tokens (no scope maps to these).
  "token:manage-own",
  "token:manage-service",
  // Revoking anyone's token (a leaver's, a leaked one): admins. Creating one stays its owner's.
  "token:revoke-any",
  // Signed-in sessions: everyone sees and ends their own (target.ownerId = the session's person), and
  // the session's last-seen time is kept as they use it; admins end anyone's.
  "session:touch",
  "session:manage-own",
  "session:manage-any",
  // Second factors (TOTP, passkeys, recovery codes): everyone enrols and removes their own (target.ownerId
  // = the person); admins reset anyone's, after which the person must enrol again.
  "mfa:manage-own",
  "mfa:reset-any",
  // SCIM provisioning from the identity provider (Entra ID, Okta…): create, change, deactivate and remove
  // people and their groups. Admins, and only through a token with the dedicated scope.
  "user:provision",
  // Authentication events from gateways (target: the API's owner and team) and the alerts they raise.
  "event:ingest",
  // Traffic sources (gateways and shippers sending their own records) and their quarantine: admins.
  "traffic:manage",
  "event:read",
  "alert:acknowledge",
  // Changing one's own password (target: the account; only its owner).
  "account:change-password",
  // Reading and dismissing one's own notifications (target: the notification's recipient).
  "notification:read-own",
  // Delivering reminder e-mails and creating scheduled reminders: the installation only.
  "notification:deliver",
  // Recording sign-in attempts is done by the installation itself (the person is not signed in yet).
  "auth:record-sign-in",
  // Logging REST API calls (batched by lib/rest/call-log.ts): the installation only.
  "api:record-call",
  // Signing audit-log checkpoints (lib/checkpoints/make-checkpoint.ts): the installation only.
  "audit:checkpoint",
  // Recording the day's control counts for the dashboard's trend: the installation only.
  "controls:snapshot",
  // Recording how far an evidence export's build has got, and that its instance still builds it
  // (lib/evidence/export-jobs.ts): the installation only, and without an audit entry of its own.
  "evidence:record-progress",
  // Moving the SIEM forwarder's cursor past what the collector received (lib/siem/forwarder.ts): the
  // installation only, without an entry of its own (an entry per batch would itself be forwarded).
  "audit:forward",
  // Recording what a background job did (lib/jobs/job-runs.ts): the installation only, without an entry of
  // its own (the job's work is audited where it writes).
  "jobs:record-run",
  // Sending queued webhook deliveries and recording each attempt (lib/webhooks/deliver.ts): the
  // installation only; an attempt is recorded on its delivery row, not in an entry of its own.
  "webhooks:deliver",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The scopes an API token can carry. */
export const TOKEN_SCOPES = [
  "inventory:read",
  "inventory:write",
  "clients:write",
  "incidents:read",
  "incidents:write",
  "reviews:read",
  "events:read",
  "events:write",
  "evidence:read",
  "scim:provision",
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A token's scopes as its row stores them (comma-separated); names no longer defined are dropped. */
export function tokenScopes(stored: string): TokenScope[] {
  return stored.split(",").filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

// The scope a token needs for each action. An action with no scope here is never open to a token,
// whatever its user may do in the UI (managing users, settings, other tokens…).
const SCOPE_FOR: Partial<Record<Permission, TokenScope>> = {
  "api:read": "inventory:read",
  "api:export": "inventory:read",
  "ism:read": "inventory:read",
  "api:create": "inventory:write",
  "api:update": "inventory:write",
  "api:delete": "inventory:write",
  "api:assign-owner": "inventory:write",
  "api:move-team": "inventory:write",
  "client:manage": "clients:write",
  "incident:read": "incidents:read",
  "incident:report": "incidents:write",
  "incident:handle": "incidents:write",
  "review:read": "reviews:read",
  "event:ingest": "events:write",
  "event:read": "events:read",
  "evidence:export": "evidence:read",
  "user:provision": "scim:provision",
};

/** How a request was authenticated with an API token: it narrows what the user may do. */
export type TokenGrant = { id: string; scopes: readonly TokenScope[]; teamId: string | null };

/** How a request was authenticated with a signed-in session. */
export type SessionGrant = { id: string; authenticatedAt: Date };

/** Who is acting. Built from the database row of the signed-in user, never from client input. */
export type Actor =
  | {
      kind: "user";
      id: string;
      email: string;
      role: Role;
      teamId: string | null;
      token?: TokenGrant;
      /** A browser session (lib/sessions): when the person last proved who they are in it. */
      session?: SessionGrant;
    }
  // The installation itself (CLI run by an operator on the server, first-start seeding). Never built
  // from an HTTP request.
  | { kind: "system"; id: null; email: string };

/** The installation acting on its own, named in the audit log (a CLI, a job). */
export const systemActor = (email: string): Actor => ({ kind: "system", id: null, email });

/** The hourly jobs (reminders, triage expiry, daily control counts). */
export const SCHEDULER = systemActor("scheduler@apiledger");

/** The facts about the object that object-level rules look at. Loaded from the database by the caller. */
export type Target = {
  /** The object's owner; for a review, the reviewed API's owner; for api:assign-owner, the person named. */
  ownerId?: string | null;
  teamId?: string | null;
  /** api:assign-owner: the team of the person named as owner (null = no team). */
  ownerTeamId?: string | null;
  /**
   * An object that concerns several teams — an incident, through the APIs it affects. A team-limited
   * token may act on it only when every one is its team; an empty list is no team's.
   */
  teamIds?: readonly string[];
  /** Reviews: who is assigned, and whether the review is signed off (then nobody edits it). */
  reviewerId?: string | null;
  locked?: boolean;
};

type Rule = boolean | ((actor: Extract<Actor, { kind: "user" }>, target: Target | undefined) => boolean);

// A system owner works on APIs they own or their team owns; creating is only into their own team.
const ownOrTeam: Rule = (actor, target) =>
  target !== undefined &&
  ((target.ownerId != null && target.ownerId === actor.id) ||
    (target.teamId != null && target.teamId === actor.teamId));
const self: Rule = (actor, target) => target !== undefined && target.ownerId === actor.id;
const assignedReviewer = (actor: Extract<Actor, { kind: "user" }>, target: Target | undefined): boolean =>
  target !== undefined && !target.locked && target.reviewerId != null && target.reviewerId === actor.id;
const handler: Rule = (actor, target) =>
  target !== undefined && !target.locked && target.ownerId != null && target.ownerId === actor.id;
const unlocked: Rule = (_actor, target) => target !== undefined && !target.locked;
// Separation of duties: whoever uploaded a version cannot approve it.
const notAuthor: Rule = (actor, target) => target !== undefined && !target.locked && target.ownerId !== actor.id;
const participant: Rule = (actor, target) =>
  target !== undefined &&
  !target.locked &&
  ((target.ownerId != null && target.ownerId === actor.id) ||
    (target.reviewerId != null && target.reviewerId === actor.id));
const ownTeam: Rule = (actor, target) =>
  target !== undefined && target.teamId != null && target.teamId === actor.teamId;
// The named approver of someone else's request, within their own team.
const teamApprover: Rule = (actor, target) =>
  target !== undefined &&
  assignedReviewer(actor, target) &&
  target.ownerId !== actor.id &&
  target.teamId != null &&
  target.teamId === actor.teamId;
// Independence: a review is never worked on by the reviewed API's own owner, whoever assigned it and
// whenever the ownership changed (checked at every step, not only at assignment).
const independentReviewer: Rule = (actor, target) =>
  target !== undefined && assignedReviewer(actor, target) && target.ownerId !== actor.id;
// Naming an API's owner within one's own team: the API is in the actor's team, and the owner is nobody,
// or a member of that team (the actor included). Handing an API to another team's person is an admin's.
const ownerInOwnTeam: Rule = (actor, target) =>
  target !== undefined &&
  target.teamId != null &&
  target.teamId === actor.teamId &&
  (target.ownerId == null || (target.ownerTeamId != null && target.ownerTeamId === actor.teamId));

const POLICY: Record<Role, Record<Permission, Rule>> = {
  ADMIN: {
    "api:read": true,
    "api:create": true,
    "api:update": true,
    "api:delete": true,
    "api:export": true,
    "api:assign-owner": true,
    "api:move-team": true,
    "user:read": true,
    "user:manage": true,
    "team:manage": true,
    "ism:read": true,
    "ism:import": true,
    "audit:read": true,
    "evidence:export": true,
    "security-alerts:read": true,
    "client:manage": true,
    "settings:manage": true,
    "webhooks:manage": true,
    "review:read": true,
    "review:manage-campaign": true,
    "review:edit": independentReviewer,
    "follow-up:update": true,
    "finding:triage": true,
    "finding:approve": independentReviewer,
    "incident:read": true,
    "incident:report": true,
    "incident:handle": unlocked,
    "document:read": true,
    "document:manage": true,
    "document:approve": notAuthor,
    "training:read": true,
    "training:manage": true,
    "acquisition:read": true,
    "acquisition:request": true,
    "acquisition:edit": unlocked,
    "acquisition:decide": assignedReviewer,
    "acquisition:manage-questions": true,
    "token:manage-own": self,
    "token:manage-service": true,
    "token:revoke-any": true,
    "session:touch": self,
    "session:manage-own": self,
    "session:manage-any": true,
    "mfa:manage-own": self,
    "mfa:reset-any": true,
    "user:provision": true,
    "event:ingest": true,
    "traffic:manage": true,
    "event:read": true,
    "alert:acknowledge": true,
    "account:change-password": self,
    "api:record-call": false,
    "audit:checkpoint": false,
    "controls:snapshot": false,
    "auth:record-sign-in": false,
    "notification:read-own": self,
    "notification:deliver": false,
    "evidence:record-progress": false,
    "webhooks:deliver": false,
    "audit:forward": false,
    "jobs:record-run": false,
  },
  SYSTEM_OWNER: {
    "api:read": true,
    "api:create": ownTeam,
    "api:update": ownOrTeam,
    "api:delete": ownOrTeam,
    "api:export": true,
    "api:assign-owner": ownerInOwnTeam,
    // A system owner belongs to one team, so every move crosses into or out of a team that is not
    // theirs: moving is an admin's decision.
    "api:move-team": false,
    "user:read": false,
    "user:manage": false,
    "team:manage": false,
    "ism:read": true,
    "ism:import": false,
    "audit:read": false,
    "evidence:export": false,
    "security-alerts:read": false,
    "client:manage": ownOrTeam,
    "settings:manage": false,
    "webhooks:manage": false,
    "review:read": true,
    "review:manage-campaign": false,
    "review:edit": independentReviewer,
    "follow-up:update": self,
    "finding:triage": ownOrTeam,
    "finding:approve": false,
    "incident:read": true,
    "incident:report": true,
    "incident:handle": handler,
    "document:read": true,
    "document:manage": false,
    "document:approve": false,
    "training:read": true,
    "training:manage": false,
    "acquisition:read": true,
    "acquisition:request": true,
    "acquisition:edit": participant,
    "acquisition:decide": assignedReviewer,
    "acquisition:manage-questions": false,
    "token:manage-own": self,
    "token:manage-service": false,
    "token:revoke-any": false,
    "session:touch": self,
    "session:manage-own": self,
    "session:manage-any": false,
    "mfa:manage-own": self,
    "mfa:reset-any": false,
    "user:provision": false,
    "event:ingest": ownOrTeam,
    "traffic:manage": false,
    "event:read": true,
    "alert:acknowledge": ownOrTeam,
    "account:change-password": self,
    "api:record-call": false,
    "audit:checkpoint": false,
    "controls:snapshot": false,
    "auth:record-sign-in": false,
    "notification:read-own": self,
    "notification:deliver": false,
    "evidence:record-progress": false,
    "webhooks:deliver": false,
    "audit:forward": false,
    "jobs:record-run": false,
  },
  // Managers oversee their team's APIs (they will run the access reviews): they may correct the
  // records of their own team, but registering and retiring APIs is the owners' job.
  MANAGER: {
    "api:read": true,
    "api:create": false,
    "api:update": ownTeam,
    "api:delete": false,
    "api:export": true,
    "api:assign-owner": ownerInOwnTeam,
    "api:move-team": false,
    "user:read": true,
    "user:manage": false,
    "team:manage": false,
    "ism:read": true,
    "ism:import": false,
    "audit:read": false,
    "evidence:export": false,
    "security-alerts:read": false,
    "client:manage": false,
    "settings:manage": false,
    "webhooks:manage": false,
    "review:read": true,
    "review:manage-campaign": false,
    "review:edit": independentReviewer,
    "follow-up:update": self,
    "finding:triage": ownTeam,
    "finding:approve": teamApprover,
    "incident:read": true,
    "incident:report": true,
    "incident:handle": handler,
    "document:read": true,
    "document:manage": true,
    "document:approve": notAuthor,
    "training:read": true,
    "training:manage": true,
    "acquisition:read": true,
    "acquisition:request": true,
    "acquisition:edit": participant,
    "acquisition:decide": assignedReviewer,
    "acquisition:manage-questions": false,
    "token:manage-own": self,
    "token:manage-service": false,
    "token:revoke-any": false,
    "session:touch": self,
    "session:manage-own": self,
    "session:manage-any": false,
    "mfa:manage-own": self,
    "mfa:reset-any": false,
    "user:provision": false,
    "event:ingest": ownTeam,
    "traffic:manage": false,
    "event:read": true,
    "alert:acknowledge": ownTeam,
    "account:change-password": self,
    "api:record-call": false,
    "audit:checkpoint": false,
    "controls:snapshot": false,
    "auth:record-sign-in": false,
    "notification:read-own": self,
    "notification:deliver": false,
    "evidence:record-progress": false,
    "webhooks:deliver": false,
    "audit:forward": false,
    "jobs:record-run": false,
  },
  // Auditors read everything, including the audit log and security alerts, and write nothing.
  AUDITOR: {
    "api:read": true,
    "api:create": false,
    "api:update": false,
    "api:delete": false,
    "api:export": true,
    "api:assign-owner": false,
    "api:move-team": false,
    "user:read": true,
    "user:manage": false,
    "team:manage": false,
    "ism:read": true,
    "ism:import": false,
    "audit:read": true,
    "evidence:export": true,
    "security-alerts:read": true,
    "client:manage": false,
    "settings:manage": false,
    "webhooks:manage": false,
    "review:read": true,
    "review:manage-campaign": false,
    "review:edit": false,
    "follow-up:update": false,
    "finding:triage": false,
    "finding:approve": false,
    "incident:read": true,
    "incident:report": false,
    "incident:handle": false,
    "document:read": true,
    "document:manage": false,
    "document:approve": false,
    "training:read": true,
    "training:manage": false,
    "acquisition:read": true,
    "acquisition:request": false,
    "acquisition:edit": false,
    "acquisition:decide": false,
    "acquisition:manage-questions": false,
    "token:manage-own": self,
    "token:manage-service": false,
    "token:revoke-any": false,
    "session:touch": self,
    "session:manage-own": self,
    "session:manage-any": false,
    "mfa:manage-own": self,
    "mfa:reset-any": false,
    "user:provision": false,
    "event:ingest": false,
    "traffic:manage": false,
    "event:read": true,
    "alert:acknowledge": false,
    "account:change-password": self,
    "api:record-call": false,
    "audit:checkpoint": false,
    "controls:snapshot": false,
    "auth:record-sign-in": false,
    "notification:read-own": self,
    "notification:deliver": false,
    "evidence:record-progress": false,
    "webhooks:deliver": false,
    "audit:forward": false,
    "jobs:record-run": false,
  },
};

/**
 * A token is its user's permissions intersected with its grant: the action's scope must be on the
 * token, and a token restricted to a team acts only on objects of that team. Deny by default: an
 * object target that does not say which team(s) it belongs to is never a team-limited token's. (No
 * target at all is the role-level question — "may it read incidents at all?" — whose answers the
 * queries then filter to the token's team.)
 */
function tokenAllows(token: TokenGrant | undefined, permission: Permission, target: Target | undefined): boolean {
  if (!token) return true;
  const scope = SCOPE_FOR[permission];
  if (!scope || !token.scopes.includes(scope)) return false;
  if (token.teamId && target) {
    if (target.teamId === undefined && target.teamIds === undefined) return false;
    if (target.teamId !== undefined && target.teamId !== token.teamId) return false;
    if (target.teamIds !== undefined && (target.teamIds.length === 0 || target.teamIds.some((t) => t !== token.teamId)))
      return false;
  }
  return true;
}

/** The team a token is limited to, if any: list queries filter their rows to it. */
export function tokenTeam(actor: Actor | null | undefined): string | null {
  return actor?.kind === "user" ? (actor.token?.teamId ?? null) : null;
}

export function can(actor: Actor | null | undefined, permission: Permission, target?: Target): boolean {
  if (!actor) return false;
  if (actor.kind === "system") return true;
  if (!tokenAllows(actor.token, permission, target)) return false;
  const rule = POLICY[actor.role]?.[permission];
  if (rule === undefined) return false;
  return typeof rule === "function" ? rule(actor, target) : rule;
}

/** Whether the role may do the action on at least some object (for showing or hiding UI controls). */
export function canSometimes(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.kind === "system") return true;
  if (actor.token && !tokenAllows(actor.token, permission, undefined)) return false;
  return POLICY[actor.role]?.[permission] !== false;
}

const usableBy = (role: Role, scope: TokenScope) =>
  (Object.keys(SCOPE_FOR) as Permission[]).some((p) => SCOPE_FOR[p] === scope && !!POLICY[role]?.[p]);

/**
 * The scopes a token of someone with this role may carry: all of them, but those only an administrator's
 * role can ever use (SCIM provisioning) for administrators alone. Other scopes beyond the role are allowed
 * and narrowed at each call (a token never does more than its account), so a later role change applies.
 */
export function scopesOffered(role: Role): TokenScope[] {
  return TOKEN_SCOPES.filter(
    (scope) => usableBy(role, scope) || ROLES.some((r) => r !== "ADMIN" && usableBy(r, scope)),
  );
}

/** The scope a token needs for an action, or null when tokens can never do it. */
export function scopeFor(permission: Permission): TokenScope | null {
  return SCOPE_FOR[permission] ?? null;
}

export function requirePermission(
  actor: Actor | null | undefined,
  permission: Permission,
  target?: Target,
): asserts actor is Actor {
  if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!can(actor, permission, target)) {
    throw new AppError("FORBIDDEN", "You do not have permission to do that.");
  }
}

/**
 * Fails fast when the role can never do the action, before input is even validated, so a caller
 * without the right learns nothing about what a valid request would look like.
 */
export function requireRolePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!canSometimes(actor, permission)) throw new AppError("FORBIDDEN", "You do not have permission to do that.");
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
