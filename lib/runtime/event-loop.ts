// Long loops over a request's items (10,000 events, 5,000 catalog entities) hand the event loop back
// whenever they have held it for a time slice, so other requests — /api/health among them — are
// answered meanwhile. By time, not by count: the same count of items takes three times longer on a
// busy machine, and a request waiting for the loop waits for whole slices (measured in
// lib/rest/bodies.load.ts).
export const SLICE_MS = 8;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One loop's time slice: `if (slice.due) await slice.yield();` between items. */
export class TimeSlice {
  #started = performance.now();
  constructor(private readonly ms = SLICE_MS) {}

  /** True once this stretch of work has held the event loop for its slice. */
  get due(): boolean {
    return performance.now() - this.#started >= this.ms;
  }

  /** Hands the event loop back; a new slice starts when the loop returns. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.#started = performance.now();
  }
}
