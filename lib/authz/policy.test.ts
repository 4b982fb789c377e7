import { describe, expect, it } from "vitest";
import {
  PERMISSIONS,
  ROLES,
  TOKEN_SCOPES,
  can,
  canSometimes,
  requirePermission,
  scopeFor,
  type Permission,
  type Actor,
  type Role,
  type TokenGrant,
} from "@/lib/authz/policy";

// The decided policy, written out independently of lib/authz/policy.ts. "own" = only on APIs the person
// owns or their team owns; "team" = only for their own team; "self" = only on their own account (or
// the action assigned to them); "reviewer" = only the review assigned to them, and not once signed off;
// "independent-reviewer" = the same, and never on an API they own; "owner-in-team" = on their own team's
// API, naming nobody or a member of their team. Adding an action to PERMISSIONS without a row here fails
// the first test.
type Expect =
  | boolean
  | "own"
  | "team"
  | "self"
  | "reviewer"
  | "independent-reviewer"
  | "owner-in-team"
  | "handler"
  | "unlocked"
  | "not-author"
  | "participant"
  | "team-approver";
const MATRIX: Record<Permission, Record<Role, Expect>> = {
  "api:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "api:create": { ADMIN: true, SYSTEM_OWNER: "team", MANAGER: false, AUDITOR: false },
  "api:update": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: "team", AUDITOR: false },
  "api:delete": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: false, AUDITOR: false },
  "api:export": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "api:assign-owner": { ADMIN: true, SYSTEM_OWNER: "owner-in-team", MANAGER: "owner-in-team", AUDITOR: false },
  "api:move-team": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "user:read": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: true, AUDITOR: true },
  "user:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "team:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "ism:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "ism:import": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "audit:read": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: true },
  "evidence:export": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: true },
  "security-alerts:read": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: true },
  "client:manage": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: false, AUDITOR: false },
  "settings:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "webhooks:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "review:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "review:manage-campaign": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "review:edit": {
    ADMIN: "independent-reviewer",
    SYSTEM_OWNER: "independent-reviewer",
    MANAGER: "independent-reviewer",
    AUDITOR: false,
  },
  "follow-up:update": { ADMIN: true, SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: false },
  "incident:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "incident:report": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: false },
  "incident:handle": { ADMIN: "unlocked", SYSTEM_OWNER: "handler", MANAGER: "handler", AUDITOR: false },
  "document:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "document:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: true, AUDITOR: false },
  "document:approve": { ADMIN: "not-author", SYSTEM_OWNER: false, MANAGER: "not-author", AUDITOR: false },
  "training:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "training:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: true, AUDITOR: false },
  "acquisition:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "acquisition:request": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: false },
  "acquisition:edit": { ADMIN: "unlocked", SYSTEM_OWNER: "participant", MANAGER: "participant", AUDITOR: false },
  "acquisition:decide": { ADMIN: "reviewer", SYSTEM_OWNER: "reviewer", MANAGER: "reviewer", AUDITOR: false },
  "acquisition:manage-questions": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "token:manage-own": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "token:manage-service": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "token:revoke-any": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "session:touch": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "session:manage-own": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "session:manage-any": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "mfa:manage-own": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "mfa:reset-any": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "user:provision": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "finding:triage": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: "team", AUDITOR: false },
  "finding:approve": { ADMIN: "independent-reviewer", SYSTEM_OWNER: false, MANAGER: "team-approver", AUDITOR: false },
  "event:ingest": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: "team", AUDITOR: false },
  "traffic:manage": { ADMIN: true, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "event:read": { ADMIN: true, SYSTEM_OWNER: true, MANAGER: true, AUDITOR: true },
  "alert:acknowledge": { ADMIN: true, SYSTEM_OWNER: "own", MANAGER: "team", AUDITOR: false },
  "account:change-password": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "notification:read-own": { ADMIN: "self", SYSTEM_OWNER: "self", MANAGER: "self", AUDITOR: "self" },
  "notification:deliver": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "auth:record-sign-in": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "api:record-call": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "audit:checkpoint": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "controls:snapshot": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "evidence:record-progress": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "webhooks:deliver": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "audit:forward": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
  "jobs:record-run": { ADMIN: false, SYSTEM_OWNER: false, MANAGER: false, AUDITOR: false },
};

const actor = (role: Role): Actor => ({ kind: "user", id: "me", email: "me@x", role, teamId: "my-team" });
const OWN = { ownerId: "me", teamId: "other-team" };
const MY_TEAM = { ownerId: "someone", teamId: "my-team" };
const OTHERS = { ownerId: "someone", teamId: "other-team" };

describe("authorisation policy", () => {
  it("has a decided rule for every action", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const action of PERMISSIONS) {
    for (const role of ROLES) {
      const expected = MATRIX[action][role];
      it(`${role} ${action}: ${String(expected)}`, () => {
        const a = actor(role);
        if (expected === true || expected === false) {
          for (const target of [undefined, OWN, MY_TEAM, OTHERS]) expect(can(a, action, target)).toBe(expected);
          expect(canSometimes(a, action)).toBe(expected);
        } else if (expected === "own") {
          expect(can(a, action, OWN)).toBe(true);
          expect(can(a, action, MY_TEAM)).toBe(true);
          expect(can(a, action, OTHERS)).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "handler") {
          expect(can(a, action, { ownerId: "me" })).toBe(true);
          expect(can(a, action, { ownerId: "me", locked: true })).toBe(false);
          expect(can(a, action, { ownerId: "someone" })).toBe(false);
        } else if (expected === "unlocked") {
          expect(can(a, action, { ownerId: "someone" })).toBe(true);
          expect(can(a, action, { ownerId: "someone", locked: true })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "not-author") {
          expect(can(a, action, { ownerId: "someone" })).toBe(true);
          expect(can(a, action, { ownerId: null })).toBe(true);
          expect(can(a, action, { ownerId: "me" })).toBe(false);
          expect(can(a, action, { ownerId: "someone", locked: true })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "participant") {
          expect(can(a, action, { ownerId: "me", reviewerId: "someone" })).toBe(true);
          expect(can(a, action, { ownerId: "someone", reviewerId: "me" })).toBe(true);
          expect(can(a, action, { ownerId: "someone", reviewerId: "other" })).toBe(false);
          expect(can(a, action, { ownerId: "me", locked: true })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "independent-reviewer") {
          expect(can(a, action, { reviewerId: "me", ownerId: "someone" })).toBe(true);
          expect(can(a, action, { reviewerId: "me", ownerId: null })).toBe(true);
          // The reviewer who (became) the API's owner: at every step, whoever assigned the review.
          expect(can(a, action, { reviewerId: "me", ownerId: "me" })).toBe(false);
          expect(can(a, action, { reviewerId: "me", ownerId: "someone", locked: true })).toBe(false);
          expect(can(a, action, { reviewerId: "someone", ownerId: "other" })).toBe(false);
          expect(can(a, action, { ownerId: "me", teamId: "my-team" })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "team-approver") {
          expect(can(a, action, { reviewerId: "me", ownerId: "someone", teamId: "my-team" })).toBe(true);
          // Another team's request, one's own request, a decided one, or one named for someone else.
          expect(can(a, action, { reviewerId: "me", ownerId: "someone", teamId: "other-team" })).toBe(false);
          expect(can(a, action, { reviewerId: "me", ownerId: "me", teamId: "my-team" })).toBe(false);
          expect(can(a, action, { reviewerId: "me", ownerId: "someone", teamId: "my-team", locked: true })).toBe(false);
          expect(can(a, action, { reviewerId: "someone", ownerId: "other", teamId: "my-team" })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "owner-in-team") {
          expect(can(a, action, { teamId: "my-team", ownerId: null })).toBe(true);
          expect(can(a, action, { teamId: "my-team", ownerId: "me", ownerTeamId: "my-team" })).toBe(true);
          expect(can(a, action, { teamId: "my-team", ownerId: "colleague", ownerTeamId: "my-team" })).toBe(true);
          // Another team's person as owner of one's own team's API (who could then delete it).
          expect(can(a, action, { teamId: "my-team", ownerId: "someone", ownerTeamId: "other-team" })).toBe(false);
          expect(can(a, action, { teamId: "my-team", ownerId: "someone", ownerTeamId: null })).toBe(false);
          // Oneself as owner of another team's API.
          expect(can(a, action, { teamId: "other-team", ownerId: "me", ownerTeamId: "my-team" })).toBe(false);
          expect(can(a, action, { teamId: "other-team", ownerId: null })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else if (expected === "reviewer") {
          expect(can(a, action, { reviewerId: "me" })).toBe(true);
          expect(can(a, action, { reviewerId: "me", locked: true })).toBe(false);
          expect(can(a, action, { reviewerId: "someone" })).toBe(false);
          expect(can(a, action, { ownerId: "me", teamId: "my-team" })).toBe(false);
        } else if (expected === "self") {
          expect(can(a, action, { ownerId: "me" })).toBe(true);
          expect(can(a, action, { ownerId: "someone" })).toBe(false);
          expect(can(a, action, undefined)).toBe(false);
        } else {
          expect(can(a, action, MY_TEAM)).toBe(true);
          expect(can(a, action, OWN)).toBe(false);
          expect(can(a, action, OTHERS)).toBe(false);
        }
      });
    }
  }

  it("denies a signed-out caller and a forged role", () => {
    expect(can(null, "api:read")).toBe(false);
    const forged = { kind: "user", id: "x", email: "x", role: "SUPERUSER", teamId: null } as unknown as Actor;
    expect(can(forged, "api:read")).toBe(false);
    expect(() => requirePermission(forged, "api:create", MY_TEAM)).toThrow(/permission/);
    expect(() => requirePermission(null, "api:read")).toThrow(/Sign in/);
  });

  it("a system owner with no team cannot act through a null team match", () => {
    const loner: Actor = { kind: "user", id: "me", email: "me@x", role: "SYSTEM_OWNER", teamId: null };
    expect(can(loner, "api:update", { ownerId: "someone", teamId: null })).toBe(false);
    expect(can(loner, "api:create", { teamId: null })).toBe(false);
    expect(can(loner, "api:assign-owner", { teamId: null, ownerId: "me", ownerTeamId: null })).toBe(false);
  });
});

describe("API tokens narrow their user's permissions", () => {
  const owner = (token: TokenGrant): Actor => ({
    kind: "user",
    id: "me",
    email: "me@x",
    role: "SYSTEM_OWNER",
    teamId: "my-team",
    token,
  });

  it("needs the action's scope on the token, and never more than the user may do", () => {
    const reader = owner({ id: "t", scopes: ["inventory:read"], teamId: null });
    expect(can(reader, "api:read")).toBe(true);
    expect(can(reader, "api:update", OWN)).toBe(false);
    const writer = owner({ id: "t", scopes: ["inventory:read", "inventory:write"], teamId: null });
    expect(can(writer, "api:update", OWN)).toBe(true);
    // The owner cannot edit another team's API in the UI, so the token cannot either.
    expect(can(writer, "api:update", OTHERS)).toBe(false);
    // A forged scope the user's role lacks grants nothing: auditors never write.
    const auditor: Actor = {
      kind: "user",
      id: "a",
      email: "a@x",
      role: "AUDITOR",
      teamId: null,
      token: { id: "t", scopes: ["inventory:write"], teamId: null },
    };
    expect(can(auditor, "api:update", OWN)).toBe(false);
  });

  it("never opens actions without a scope (users, settings, tokens) to a token", () => {
    const admin: Actor = {
      kind: "user",
      id: "me",
      email: "me@x",
      role: "ADMIN",
      teamId: null,
      token: { id: "t", scopes: [...TOKEN_SCOPES], teamId: null },
    };
    for (const action of [
      "user:manage",
      "settings:manage",
      "webhooks:manage",
      "token:manage-own",
      "token:manage-service",
      "token:revoke-any",
      "session:touch",
      "session:manage-own",
      "session:manage-any",
      "mfa:manage-own",
      "mfa:reset-any",
      "audit:read",
      "review:manage-campaign",
    ] as const) {
      expect(scopeFor(action)).toBeNull();
      expect(can(admin, action, { ownerId: "me" })).toBe(false);
      expect(canSometimes(admin, action)).toBe(false);
    }
    expect(can(admin, "api:delete", OTHERS)).toBe(true);
  });

  it("a token restricted to a team acts only on that team's objects", () => {
    const teamToken: Actor = {
      kind: "user",
      id: "me",
      email: "me@x",
      role: "ADMIN",
      teamId: null,
      token: { id: "t", scopes: ["inventory:read", "inventory:write"], teamId: "team-a" },
    };
    expect(can(teamToken, "api:update", { ownerId: "x", teamId: "team-a" })).toBe(true);
    expect(can(teamToken, "api:update", { ownerId: "x", teamId: "team-b" })).toBe(false);
    expect(can(teamToken, "api:create", { teamId: "team-b" })).toBe(false);
  });

  it("a team-limited token acts on an incident only when every API it affects is the token's team", () => {
    const teamToken: Actor = {
      kind: "user",
      id: "me",
      email: "me@x",
      role: "ADMIN",
      teamId: null,
      token: { id: "t", scopes: ["incidents:read", "incidents:write"], teamId: "team-a" },
    };
    expect(can(teamToken, "incident:read", { teamIds: ["team-a"] })).toBe(true);
    expect(can(teamToken, "incident:handle", { ownerId: "x", teamIds: ["team-a", "team-a"] })).toBe(true);
    // Touching another team's API too, or no API at all: not the token's incident.
    expect(can(teamToken, "incident:read", { teamIds: ["team-a", "team-b"] })).toBe(false);
    expect(can(teamToken, "incident:handle", { ownerId: "x", teamIds: ["team-b"] })).toBe(false);
    expect(can(teamToken, "incident:read", { teamIds: [] })).toBe(false);
    // The role-level question is still answered (the list is then filtered to the team).
    expect(can(teamToken, "incident:read")).toBe(true);
    // Unlimited tokens and signed-in people are not affected.
    const unlimited: Actor = { ...teamToken, token: { id: "t", scopes: ["incidents:read"], teamId: null } };
    expect(can(unlimited, "incident:read", { teamIds: ["team-a", "team-b"] })).toBe(true);
  });

  it("deny by default: an object that does not say its team is never a team-limited token's", () => {
    const teamToken: Actor = {
      kind: "user",
      id: "me",
      email: "me@x",
      role: "ADMIN",
      teamId: null,
      token: { id: "t", scopes: [...TOKEN_SCOPES], teamId: "team-a" },
    };
    expect(can(teamToken, "incident:handle", { ownerId: "me" })).toBe(false);
    expect(can(teamToken, "review:read", { reviewerId: "x", ownerId: "y" })).toBe(false);
    expect(can(teamToken, "review:read", { reviewerId: "x", ownerId: "y", teamId: "team-a" })).toBe(true);
    expect(can(teamToken, "review:read", { reviewerId: "x", ownerId: "y", teamId: "team-b" })).toBe(false);
  });

  it("placement: a team-limited admin token neither moves an API out of its team nor names an owner on another team's API", () => {
    const teamToken: Actor = {
      kind: "user",
      id: "me",
      email: "me@x",
      role: "ADMIN",
      teamId: null,
      token: { id: "t", scopes: ["inventory:read", "inventory:write"], teamId: "team-a" },
    };
    expect(can(teamToken, "api:move-team", { teamId: "team-a" })).toBe(true);
    expect(can(teamToken, "api:move-team", { teamId: "team-b" })).toBe(false);
    expect(can(teamToken, "api:assign-owner", { teamId: "team-a", ownerId: "x", ownerTeamId: "team-b" })).toBe(true);
    expect(can(teamToken, "api:assign-owner", { teamId: "team-b", ownerId: "x", ownerTeamId: "team-a" })).toBe(false);
    // Placement needs inventory:write like any other change to the record.
    const reader: Actor = { ...teamToken, token: { id: "t", scopes: ["inventory:read"], teamId: null } };
    expect(can(reader, "api:move-team", { teamId: "team-a" })).toBe(false);
    expect(can(reader, "api:assign-owner", { teamId: "team-a", ownerId: null })).toBe(false);
  });
});
