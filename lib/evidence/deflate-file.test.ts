// A file deflated for a later ZIP entry (the JSON twins, the events' files): its writer must learn that
// the file failed whenever the failure happens, also between two writes, when nothing is waiting on it.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deflateToFile } from "@/lib/evidence/deflate-file";

describe("deflateToFile on a full disk", () => {
  it("rejects the next write with ENOSPC after the file failed between writes", async () => {
    // /dev/full refuses every write with ENOSPC, as a full temporary disk does. Incompressible bytes,
    // fewer than the stream holds, so the write returns at once and the compressor passes them on.
    const file = deflateToFile("/dev/full");
    await file.write(randomBytes(100_000));
    await expect(file.done).rejects.toThrow(/ENOSPC/);
    // The writer's next chunk (the next page read from the database) finds the file stopped.
    await expect(file.write(randomBytes(100_000))).rejects.toThrow(/ENOSPC/);
    await expect(file.end(Buffer.from("]\n"))).rejects.toThrow(/ENOSPC/);
  });
});
