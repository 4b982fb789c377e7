// OSCAL documents as NIST's own JSON schemas judge them, plus the reference constraints of OSCAL's
// metaschema that a JSON schema cannot express: every role-id, party-uuid, observation, risk and
// "#uuid" href resolves inside the document, and (given a catalog) every control and statement id is
// in the catalog. For tests: returns the problems, none when the document conforms.
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const SCHEMAS = path.resolve("../shared/data/schemas");
export const OSCAL_SCHEMAS_AVAILABLE = fs.existsSync(SCHEMAS);

const validators = new Map<string, ReturnType<Ajv["compile"]>>();
function validator(model: "assessment-results" | "poam") {
  let v = validators.get(model);
  if (!v) {
    const ajv = new Ajv({ unicodeRegExp: true, allErrors: true, strict: false });
    addFormats(ajv);
    v = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, `oscal_${model}_schema.json`), "utf8")) as object);
    validators.set(model, v);
  }
  return v;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every value under `key` anywhere in the document, with where it was found. */
function collect(node: Json, key: string, at = "", out: { at: string; value: Json }[] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => collect(n, key, `${at}/${i}`, out));
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push({ at: `${at}/${k}`, value: v });
      collect(v, key, `${at}/${k}`, out);
    }
  return out;
}

/** Every id defined in a catalog (controls, parts, groups). */
export function catalogIds(catalog: unknown): Set<string> {
  return new Set(collect(catalog as Json, "id").map((x) => String(x.value)));
}

export function oscalProblems(
  model: "assessment-results" | "poam",
  document: unknown,
  catalog: Set<string> | null = null,
): string[] {
  const validate = validator(model);
  const problems = validate(document)
    ? []
    : (validate.errors ?? []).map((e) => `schema: ${e.instancePath || "/"} ${e.message}`);
  const root = Object.values(document as Record<string, Json>)[0] as Record<string, Json>;
  const metadata = root.metadata as Record<string, Json>;
  const ids = (list: Json | undefined, key: string) =>
    new Set(((list as Record<string, Json>[] | undefined) ?? []).map((x) => String(x[key])));
  const roles = ids(metadata.roles, "id");
  const parties = ids(metadata.parties, "uuid");
  const uuids = new Set(collect(root, "uuid").map((x) => String(x.value)));
  const check = (key: string, known: Set<string>, what: string) => {
    for (const { at, value } of collect(root, key))
      for (const v of Array.isArray(value) ? value : [value])
        if (!known.has(String(v))) problems.push(`${at}: ${what} ${String(v)} is not defined`);
  };
  check("role-id", roles, "role");
  check("party-uuid", parties, "party");
  check("party-uuids", parties, "party");
  check("observation-uuid", uuids, "observation");
  check("risk-uuid", uuids, "risk");
  for (const { at, value } of collect(root, "href"))
    if (String(value).startsWith("#") && !uuids.has(String(value).slice(1)))
      problems.push(`${at}: ${String(value)} points at nothing in the document`);
  if (catalog) {
    check("control-id", catalog, "control");
    for (const { at, value } of collect(root, "target-id"))
      if (!catalog.has(String(value))) problems.push(`${at}: statement ${String(value)} is not in the catalog`);
  }
  return problems;
}
