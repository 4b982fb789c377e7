import { afterEach, describe, expect, it } from "vitest";
import { withTrafficSlot } from "@/lib/traffic/admission";

// Two stages: a batch is admitted (bounded per process and per sender) while its body arrives, and only
// then waits for a storing slot. A sender whose uploads never finish must not keep others out.

function pending() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setTimeout(r, 5));

describe("traffic admission", () => {
  const saved = process.env.APILEDGER_TRAFFIC_CONCURRENCY;
  afterEach(() => {
    if (saved === undefined) delete process.env.APILEDGER_TRAFFIC_CONCURRENCY;
    else process.env.APILEDGER_TRAFFIC_CONCURRENCY = saved;
  });

  it("a sender whose bodies do not arrive holds only its share: its next batch is refused (503), another sender's is stored", async () => {
    process.env.APILEDGER_TRAFFIC_CONCURRENCY = "2";
    const slow = pending();
    const stuck = [1, 2].map(() =>
      withTrafficSlot(
        "slow-gateway",
        () => slow.promise,
        async () => "slow stored",
      ),
    );
    await tick();
    await expect(
      withTrafficSlot(
        "slow-gateway",
        async () => undefined,
        async () => "x",
      ),
    ).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      status: 503,
      retryAfter: 1,
    });
    expect(
      await withTrafficSlot(
        "collector",
        async () => undefined,
        async () => "stored",
      ),
    ).toBe("stored");
    slow.resolve();
    expect(await Promise.all(stuck)).toEqual(["slow stored", "slow stored"]);
  });

  it("stores at most APILEDGER_TRAFFIC_CONCURRENCY batches at once, in the order their bodies arrived, and refuses past twice that", async () => {
    process.env.APILEDGER_TRAFFIC_CONCURRENCY = "1";
    const order: string[] = [];
    let storing = 0;
    let most = 0;
    const first = pending();
    const store = (name: string, hold?: Promise<void>) => async () => {
      storing++;
      most = Math.max(most, storing);
      order.push(name);
      await hold;
      storing--;
      return name;
    };
    const a = withTrafficSlot("a", async () => undefined, store("a", first.promise));
    await tick();
    const b = withTrafficSlot("b", async () => undefined, store("b"));
    await tick();
    // Two admitted (one storing, one waiting): a third sender is refused before its body is read.
    let bodyRead = false;
    await expect(
      withTrafficSlot(
        "c",
        async () => {
          bodyRead = true;
        },
        store("c"),
      ),
    ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(bodyRead).toBe(false);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(order).toEqual(["a", "b"]);
    expect(most).toBe(1);
    // Everything released: a batch is taken again.
    expect(await withTrafficSlot("c", async () => undefined, store("c"))).toBe("c");
  });

  it("a body that fails (too large, too slow) frees its place", async () => {
    process.env.APILEDGER_TRAFFIC_CONCURRENCY = "1";
    await expect(
      withTrafficSlot(
        "a",
        async () => {
          throw new Error("late");
        },
        async () => "never",
      ),
    ).rejects.toThrow("late");
    expect(
      await withTrafficSlot(
        "a",
        async () => undefined,
        async () => "stored",
      ),
    ).toBe("stored");
  });
});
