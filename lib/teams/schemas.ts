import { z } from "zod";
import { nameRule } from "@/lib/input/validation";

export const ZTeamCreate = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name is required.")
      .max(80, "Name must be at most 80 characters.")
      .superRefine(nameRule("Name")),
    description: z.string().trim().max(500, "Description must be at most 500 characters."),
  })
  .strict();
export type TTeamCreate = z.infer<typeof ZTeamCreate>;
