import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { parseOrThrow, ZId } from "@/lib/input/validation";
import { textProblem } from "@/lib/input/text";

/** How many APIs a picker lists for what was typed: the rest are reached by typing more. */
export const API_CHOICES_SHOWN = 10;

// Typed text that holds what no name can (NUL, a lone surrogate, a bidirectional override) is refused
// with the reason, as the field would refuse it, rather than matched against nothing.
export const ZApiChoiceQuery = z.object({
  q: z
    .string()
    .max(200, "Type at most 200 characters.")
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: `The search ${problem}.` });
    }),
  teamId: z.union([ZId, z.literal("")]),
});

export type ApiChoice = { id: string; name: string; teamId: string | null };

/**
 * The live APIs whose name or description holds what was typed (one team's, when given), first by name:
 * what an API picker offers however large the inventory, instead of every API in the page. An empty
 * query lists the first ones. `more` says that more match than were listed.
 */
export async function findApiChoices(
  actor: Actor | null,
  input: unknown,
): Promise<{ choices: ApiChoice[]; more: boolean }> {
  requirePermission(actor, "api:read");
  const { q, teamId } = parseOrThrow(ZApiChoiceQuery, input);
  const needle = q.trim().toLowerCase();
  const rows = await db.api.findMany({
    where: {
      deletedAt: null,
      ...(teamId ? { teamId } : {}),
      ...(needle ? { searchText: { contains: needle } } : {}),
    },
    select: { id: true, name: true, teamId: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: API_CHOICES_SHOWN + 1,
  });
  return { choices: rows.slice(0, API_CHOICES_SHOWN), more: rows.length > API_CHOICES_SHOWN };
}
