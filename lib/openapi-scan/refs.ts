import { AppError } from "@/lib/errors";

// Resolves only references inside the same document ("#/components/…"). Anything else — a relative
// file, an absolute path, a URL — is refused: resolving it would read the server's files or reach the
// network. Only the references the scan walks are followed, so recursive schemas elsewhere are fine; a
// chain that loops back on itself is reported.
export function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "#") return doc;
  const parts = pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc;
  for (const part of parts) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

export function resolve<T = unknown>(doc: unknown, node: unknown, where: string): T {
  const seen: string[] = [];
  let current = node;
  while (current && typeof current === "object" && typeof (current as { $ref?: unknown }).$ref === "string") {
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith("#")) {
      const message = `External $ref “${ref}” at ${where} is not followed (it would read a file or the network). Bundle the description into one document first.`;
      throw new AppError("VALIDATION", message, { description: [message] });
    }
    if (seen.includes(ref)) {
      const message = `Circular $ref at ${where}: ${[...seen, ref].join(" → ")}.`;
      throw new AppError("VALIDATION", message, { description: [message] });
    }
    seen.push(ref);
    current = pointerGet(doc, ref);
    if (current === undefined) {
      const message = `$ref “${ref}” at ${where} points to nothing in the document.`;
      throw new AppError("VALIDATION", message, { description: [message] });
    }
  }
  return current as T;
}

/**
 * The first `$ref` anywhere in the document that is not a pointer into the document itself, with its
 * location, or null. Checked before a description is stored, so no tool that reads the stored document
 * later (a code generator, Backstage, a gateway) can be led to a file or the network through it.
 */
export function firstExternalRef(doc: unknown): { ref: string; at: string } | null {
  const seen = new Set<object>();
  const stack: { node: unknown; at: string }[] = [{ node: doc, at: "" }];
  while (stack.length) {
    const { node, at } = stack.pop()!;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (const [key, value] of entries) {
      if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) return { ref: value, at: at || "/" };
      stack.push({ node: value, at: `${at}/${escapePointer(key)}` });
    }
  }
  return null;
}
