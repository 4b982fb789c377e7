export type Environment = { name: string; baseUrl: string };

export function decodeEnvironments(stored: string): Environment[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is Environment =>
        typeof e === "object" && e !== null && typeof e.name === "string" && typeof e.baseUrl === "string",
    );
  } catch {
    return [];
  }
}

export function buildSearchText(parts: {
  name: string;
  purpose: string;
  businessFunction: string;
  tags: readonly string[];
}): string {
  return [parts.name, parts.purpose, parts.businessFunction, ...parts.tags].join(" \u0001 ").toLowerCase();
}
