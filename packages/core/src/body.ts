/**
 * Reads a body stream up to `max` bytes. Returns the bytes, or `undefined` as soon as the
 * body proves longer (the rest is not read, and the stream is cancelled). One bounded
 * reader for every place that reads an untrusted body: an adapter inspecting a JSON-RPC
 * request, a client reading metadata.
 *
 * @example
 * ```ts
 * const bytes = await readBodyCapped(request.clone().body, 1024 * 1024);
 * if (bytes === undefined) { // too large: do not inspect
 * }
 * ```
 * @see RFC 9728 §7 (metadata fetched from untrusted servers), RFC 9110 §15.5.14 (content too large)
 */
export async function readBodyCapped(
  body: ReadableStream<Uint8Array> | null | undefined,
  max: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      // Not awaited: cancelling one branch of a tee()d stream settles only when the other
      // branch is cancelled too (a cloned Request whose original is still to be read).
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
