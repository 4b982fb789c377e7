import { describe, expect, it } from "vitest";
import * as prismaEnums from "@/lib/generated/prisma-sqlite/enums";
import { AUTHZ_MODELS, CONTROL_STATUSES, EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import { ROLES } from "@/lib/authz/policy";

describe("client-side enums", () => {
  it("match the Prisma enums value for value", () => {
    expect([...LIFECYCLES]).toEqual(Object.values(prismaEnums.Lifecycle));
    expect([...EXPOSURES]).toEqual(Object.values(prismaEnums.Exposure));
    expect([...SENSITIVITIES]).toEqual(Object.values(prismaEnums.Sensitivity));
    expect([...AUTHZ_MODELS]).toEqual(Object.values(prismaEnums.AuthzModel));
    expect([...CONTROL_STATUSES]).toEqual(Object.values(prismaEnums.ControlStatus));
    expect([...ROLES]).toEqual(Object.values(prismaEnums.Role));
  });
});
