import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fileResponse, openedOnRead } from "@/lib/storage/download-response";

const FILE = { sha256: "ab".repeat(32), size: 6, mediaType: "text/plain", fileName: "a.txt" };

describe("a stored file's body opens the file only when read", () => {
  it("opens nothing until the first read, then gives every byte", async () => {
    let opened = 0;
    const response = fileResponse(async () => {
      opened++;
      return Readable.from([Buffer.from("abc"), Buffer.from("def")]);
    }, FILE);
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toBe(0);
    expect(await response.text()).toBe("abcdef");
    expect(opened).toBe(1);
    expect(response.headers.get("content-length")).toBe("6");
  });

  it("closes the source when the reader cancels part-way", async () => {
    const source = Readable.from([Buffer.from("abc"), Buffer.from("def"), Buffer.from("ghi")]);
    const reader = openedOnRead(async () => source).getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("abc");
    expect(source.destroyed).toBe(false);
    await reader.cancel();
    expect(source.destroyed).toBe(true);
  });

  it("closes the source when the reader cancels while it is still being opened", async () => {
    const source = Readable.from([Buffer.from("abc"), Buffer.from("def")]);
    const reader = openedOnRead(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return source;
    }).getReader();
    const reading = reader.read();
    await new Promise((r) => setTimeout(r, 5));
    await reader.cancel();
    expect((await reading).done).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it("an error opening the file fails the read", async () => {
    const reader = openedOnRead(async () => {
      throw new Error("gone");
    }).getReader();
    await expect(reader.read()).rejects.toThrow("gone");
  });
});
