/** A request body: a Web stream (fetch hosts) or a Node-style async iterable (`IncomingMessage`). */
export type BodySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/**
 * What {@link readBounded} read: the whole body, or the bytes read before it proved longer
 * than the cap plus an iterator over the rest. The stream is never destroyed: the caller
 * replays the rest ({@link replayBody}), drains it ({@link drainBody}), or cancels it.
 */
export type BoundedRead =
  | { readonly complete: true; readonly bytes: Uint8Array }
  | {
      readonly complete: false;
      readonly head: readonly Uint8Array[];
      readonly rest: AsyncIterator<Uint8Array>;
    };

const encoder = new TextEncoder();

interface NodeStreamState {
  readonly readable?: boolean;
  readonly readableEnded?: boolean;
  /** body-parser's mark of a body it consumed. */
  readonly _body?: boolean;
}

/**
 * `req` as a {@link BodySource} when it is a Node request stream nobody has consumed (no
 * body parser ran, not ended); otherwise undefined, since a drained stream never ends again.
 *
 * @example
 * ```ts
 * guardRequest(rs, { method, url, headers, unreadBody: req.body === undefined ? unreadNodeStream(req) : undefined }, requirement);
 * ```
 * @see RFC 9110 §6.4 (content)
 */
export function unreadNodeStream(req: object): BodySource | undefined {
  const r = req as NodeStreamState;
  const unread = r.readable === true && r.readableEnded !== true && r._body !== true;
  return unread && Symbol.asyncIterator in req ? (req as BodySource) : undefined;
}

interface NodeReadableLike {
  iterator(options: { destroyOnReturn: boolean }): AsyncIterator<Uint8Array | string>;
}

/** An iterator that never destroys the stream (Node's `Readable.iterator`), or the plain one. */
function iteratorOf(source: BodySource): AsyncIterator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      return: async () => {
        // Not awaited: cancelling one branch of a tee()d stream settles only when the other
        // branch is cancelled too (a cloned Request whose original is still to be read).
        reader.cancel().catch(() => undefined);
        return { done: true, value: undefined };
      },
    };
  }
  const node = source as Partial<NodeReadableLike> & AsyncIterable<Uint8Array | string>;
  const inner =
    typeof node.iterator === 'function'
      ? node.iterator({ destroyOnReturn: false })
      : node[Symbol.asyncIterator]();
  return {
    next: async () => {
      const step = await inner.next();
      if (step.done === true) return { done: true, value: undefined };
      const v = step.value;
      return { done: false, value: typeof v === 'string' ? encoder.encode(v) : v };
    },
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The one bounded reader for untrusted bodies: reads `source` until it ends or passes
 * `max` bytes, and stops there (nothing more is buffered). A stream error rejects.
 *
 * @example
 * ```ts
 * const read = await readBounded(req, 1024 * 1024);
 * if (!read.complete) await drainBody(read); // too large: discard the rest, then answer 413
 * ```
 * @see RFC 9110 §15.5.14 (content too large)
 */
export async function readBounded(source: BodySource, max: number): Promise<BoundedRead> {
  const it = iteratorOf(source);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const step = await it.next();
    if (step.done === true) return { complete: true, bytes: concat(chunks, size) };
    chunks.push(step.value);
    size += step.value.byteLength;
    if (size > max) return { complete: false, head: chunks, rest: it };
  }
}

/**
 * Every byte of a read body, in order: what was read, then (for an incomplete read) the
 * unread rest of the same stream. For handing a body on after inspecting it.
 *
 * @example
 * ```ts
 * const replay = Readable.from(replayBody(read)); // Fastify preParsing: the payload again
 * ```
 * @see RFC 9110 §6.4 (content)
 */
export async function* replayBody(read: BoundedRead): AsyncGenerator<Uint8Array> {
  if (read.complete) {
    yield read.bytes;
    return;
  }
  yield* read.head;
  for (;;) {
    const step = await read.rest.next();
    if (step.done === true) return;
    yield step.value;
  }
}

/**
 * Reads and discards the rest of an incomplete read, so a refusal can be written on a
 * connection whose request is still arriving. Stream errors are ignored (nothing to keep).
 *
 * @example
 * ```ts
 * if (!read.complete) await drainBody(read);
 * ```
 * @see RFC 9110 §9.3 (a server may answer before the body is read)
 */
export async function drainBody(read: BoundedRead): Promise<void> {
  if (read.complete) return;
  try {
    for (;;) if ((await read.rest.next()).done === true) return;
  } catch {
    // the stream failed: there is nothing left to drain
  }
}

/**
 * Reads a Web body stream up to `max` bytes: the bytes, or `undefined` as soon as the body
 * proves longer (the rest is not read and the stream is cancelled). For clients reading
 * metadata from servers they do not trust.
 *
 * @example
 * ```ts
 * const bytes = await readBodyCapped(response.body, 1024 * 1024);
 * if (bytes === undefined) throw new Error('metadata too large');
 * ```
 * @see RFC 9728 §7 (metadata fetched from untrusted servers), RFC 9110 §15.5.14
 */
export async function readBodyCapped(
  body: ReadableStream<Uint8Array> | null | undefined,
  max: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0);
  const read = await readBounded(body, max);
  if (read.complete) return read.bytes;
  await read.rest.return?.();
  return undefined;
}
