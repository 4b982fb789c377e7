// JSON Schema for the REST description (lib/rest/openapi): the response schemas are closed — an object
// lists every property it always carries as required and allows no other — so the contract suite
// (lib/rest-contract) fails when a response gains or loses a field the description does not say.
// Responses built from a zod view (lib/<domain>/*-view.ts) take their schema from it; records built from
// their field lists (lib/records/fields.ts) use closedObject. Client-safe.
import { z } from "zod";

/** An object that always carries exactly `properties` (all required unless `required` says fewer). */
export const closedObject = (
  properties: Record<string, unknown>,
  required: readonly string[] = Object.keys(properties),
  description?: string,
) => ({
  type: "object",
  ...(description ? { description } : {}),
  required: [...required],
  properties,
  additionalProperties: false as const,
});

/**
 * The JSON Schema (2020-12) of a zod schema: of what it accepts (`input`, request bodies, left open as
 * the server ignores unknown fields) or of what it gives (`output`, responses: every z.object closed).
 */
export function jsonSchemaOfZod(s: z.ZodType, io: "input" | "output" = "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return rest;
}

/** A moment as REST writes it (Date.toISOString). */
export const ZInstant = z.string().meta({ format: "date-time" });
/** A calendar day as REST writes it: YYYY-MM-DD, or empty when not recorded (lib/input/date-input.ts fromDate). */
export const ZDayOrEmpty = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/);

/**
 * True when A and B are the same type: `const _check: SameShape<TView, Declared> = true` fails the
 * typecheck when a type declared by hand and the zod view that describes it drift apart.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
