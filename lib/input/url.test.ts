import { describe, expect, it } from "vitest";
import { urlProblem } from "@/lib/input/url";

describe("the request line", () => {
  it("accepts ordinary addresses, encoded text included", () => {
    expect(urlProblem(new URL("http://x/apis/cm123?q=r%C3%A9sum%C3%A9&sort=-name"))).toBeNull();
    expect(urlProblem(new URL("http://x/apis?q=%F0%9F%9A%80"))).toBeNull();
  });
  it("refuses a lone surrogate's raw bytes, NUL and bidi controls in the path or the query", () => {
    expect(urlProblem(new URL("http://x/apis/%ED%A0%80"))).toBe("The address is not valid UTF-8.");
    expect(urlProblem(new URL("http://x/apis/a%00b"))).toBe("The address contains a NUL character.");
    expect(urlProblem(new URL("http://x/apis?q=%00"))).toMatch(/query parameter “q” contains a NUL character/);
    expect(urlProblem(new URL("http://x/apis?q=x%E2%80%AEy"))).toMatch(/bidirectional control character \(U\+202E\)/);
  });
});
