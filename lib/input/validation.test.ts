import { describe, expect, it } from "vitest";
import { ZApiInput, EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { ZTeamCreate } from "@/lib/teams/schemas";
import { ZIncidentInput } from "@/lib/incidents/schemas";
import { fieldErrorsOf, parseOrThrow } from "@/lib/input/validation";
import { AppError } from "@/lib/errors";

const api = (fields: Partial<typeof EMPTY_API_INPUT>) => ({
  ...EMPTY_API_INPUT,
  name: "Payments",
  purpose: "Pays.",
  teamId: "t1",
  ...fields,
});

describe("names look like what they are", () => {
  it("a name with an invisible or direction character is refused on that field; free text keeps them", () => {
    const result = ZApiInput.safeParse(
      api({ name: "Pay\u200Bments", purpose: "Zero\u200Bwidth and שלום\u200F are fine in prose." }),
    );
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({ name: ["Name contains an invisible character (U+200B)."] });
    expect(ZTeamCreate.safeParse({ name: "Team\u200F", description: "" }).error?.issues[0]?.message).toBe(
      "Name contains a bidirectional control character (U+200F).",
    );
    expect(
      ZIncidentInput.safeParse({ title: "two\nlines" }).error?.issues.find((i) => i.path[0] === "title")?.message,
    ).toBe("Title must be on one line.");
  });

  it("every service input passes the outside-text rule before its schema (NUL refused, NFC stored)", () => {
    expect(() => parseOrThrow(ZTeamCreate, { name: "Nul\u0000", description: "" })).toThrow(AppError);
    expect(parseOrThrow(ZTeamCreate, { name: "Cafe\u0301", description: "" }).name).toBe("Café");
  });
});
