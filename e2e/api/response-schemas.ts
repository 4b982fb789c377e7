import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DescriptionCheck, type Description } from "@/lib/rest-contract/description-check";

/**
 * Judges live answers by the published description (/api/v1/openapi.json) with the REST contract suite's
 * own checker (lib/rest-contract/description-check.ts): a documented status, the documented headers and
 * a body that validates (JSON Schema 2020-12) against the operation's closed schema — so a field added
 * to a record but not to its schema, or one the schema requires but the answer lacks, fails here too.
 * Returns the answer's JSON for the spec's own assertions on values.
 */
export async function responseChecker(request: APIRequestContext) {
  const check = new DescriptionCheck((await (await request.get("/api/v1/openapi.json")).json()) as Description);
  return async (op: string, response: APIResponse): Promise<unknown> => {
    const answer = {
      status: response.status(),
      headers: new Headers(response.headers()),
      bytes: await response.body(),
    };
    expect(check.check(op, answer), `${op} → ${answer.status}`).toEqual([]);
    return response.json();
  };
}
