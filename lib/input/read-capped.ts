/**
 * Reads a byte stream (a request or response body) to its end, and as soon as more than `maxBytes` have
 * arrived cancels it and calls `tooLarge`, which throws the caller's own error: a body is never buffered
 * past its bound, whatever its Content-Length said. With `deadline`, a stream still arriving after
 * `deadline.ms` is cancelled too and `deadline.late` throws: a sender trickling bytes holds nothing longer.
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => never,
  deadline?: { ms: number; late: () => never },
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let isLate = false;
  const timer = deadline
    ? setTimeout(() => {
        isLate = true;
        void reader.cancel().catch(() => undefined);
      }, deadline.ms)
    : undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (isLate) deadline!.late();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (isLate) deadline!.late();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}
