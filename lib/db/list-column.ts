// Multi-valued fields are stored as ",A,B," so that "has A" is `contains: ",A,"` on both databases.
export function encodeList(values: readonly string[]): string {
  const unique = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  return unique.length ? `,${unique.join(",")},` : "";
}

export function decodeList<T extends string = string>(stored: string): T[] {
  return stored.split(",").filter(Boolean) as T[];
}

export function containsToken(value: string): string {
  return `,${value},`;
}
