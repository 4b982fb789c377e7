import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/**
 * Line numbers for JSON pointers in the original text (for SARIF, so code-scanning tools can point at
 * the operation). JSON is parsed as YAML, which keeps source positions for both.
 */
export function pointerLocator(text: string): (pointer: string) => number {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  return (pointer) => {
    let node: unknown = doc.contents;
    let line = 1;
    for (const raw of pointer.split("/").slice(1)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) line = lineCounter.linePos(pair.key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(key)];
        const range = (node as Node | undefined)?.range;
        if (range) line = lineCounter.linePos(range[0]).line;
      } else break;
    }
    return line;
  };
}
