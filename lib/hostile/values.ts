// The hostile string classes every input of the app is attacked with, and what the outside-text rule
// (lib/input/text.ts) must make of each: refused with a field error, or stored so it reads back exactly
// (NFC for decomposed text). "Either": refused by a field's own rules (a name, a length) or kept.
export type HostileValue = {
  name: string;
  value: string;
  expect: "refused" | "kept" | "either";
  /** Refused everywhere, documents included: it cannot be stored as sent (lone surrogates, NUL). */
  unstorable?: boolean;
};

export const HOSTILE_VALUES: HostileValue[] = [
  { name: "lone high surrogate", value: "Lone \uD800 high", expect: "refused", unstorable: true },
  { name: "lone low surrogate", value: "\uDFFF low first", expect: "refused", unstorable: true },
  { name: "NUL", value: "nul\u0000inside", expect: "refused", unstorable: true },
  { name: "C1 control", value: "next\u0085line", expect: "refused" },
  { name: "right-to-left override", value: "invoice\u202Egpj.exe", expect: "refused" },
  { name: "bidi isolate", value: "left \u2067right\u2069 end", expect: "refused" },
  { name: "zero-width space", value: "Pay\u200Bments", expect: "either" },
  { name: "decomposed text (NFD)", value: "Re\u0301sume\u0301 cafe\u0301", expect: "kept" },
  { name: "formula =", value: '=HYPERLINK("http://evil.example","Click")', expect: "kept" },
  { name: "formula + - @", value: "@SUM(1+1)-2+3", expect: "kept" },
  { name: "HTML and script", value: '<img src=x onerror="alert(1)"><script>alert(1)</script>', expect: "kept" },
  { name: "1 MB string", value: "A".repeat(1024 * 1024), expect: "either" },
];

/** What an accepted value must read back as: the text rule normalises to NFC. */
export function storedForm(value: string): string {
  return value.normalize("NFC");
}

/** A JSON value nested deeper than any body the app takes (as text: building it as an object would be the attack on ourselves). */
export function deeplyNestedJson(depth = 100_000): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** For the file formats: the value inside a JSON string (escapes carry lone surrogates past UTF-8). */
export const jsonString = (value: string) => JSON.stringify(value);

/** Percent-encodes a path segment, lone surrogates included (as the WTF-8 bytes a raw client can send). */
export function encodeSegment(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** What a URL slot takes (stores: "url"): printable ASCII without spaces; anything else is percent-encoded first. */
export const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
