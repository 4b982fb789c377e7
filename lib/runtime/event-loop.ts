// Long loops over a request's items (10,000 events, 5,000 catalog entities) hand the event loop back
// now and then, so other requests — /api/health among them — are answered meanwhile.
export const YIELD_EVERY = 250;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
