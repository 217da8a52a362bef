import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from '../http.js';

/** What {@link createMtlsFetch} needs: PEM text (or bytes) of the certificate and its key. */
export interface MtlsFetchOptions {
  /** The client certificate (PEM), presented in every TLS handshake (RFC 8705 §2, §3). */
  readonly cert: string | Uint8Array;
  /** Its private key (PEM). */
  readonly key: string | Uint8Array;
  /** Extra trusted CA certificates (PEM) for the servers, e.g. a local test CA. Default Node's. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
}

/** A `fetch` that presents a client certificate, and how to release its connections. */
export interface MtlsFetch {
  readonly fetch: FetchLike;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

const asBuffer = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v));

/**
 * A `fetch` whose TLS connections present `cert` (undici `Agent` with `connect: { cert, key }`;
 * no TLS code of prmkit's own). Pass it as `fetch` with `mtls: true` to `createAuthFetch`: the
 * certificate then reaches the token endpoint (its `mtls_endpoint_aliases` alias, RFC 8705 §5)
 * and the resource, so the tokens are bound to it (`cnf["x5t#S256"]`) and accepted.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createAuthFetch } from '@prmkit/client';
 * import { createMtlsFetch } from '@prmkit/client/node';
 *
 * const tls = createMtlsFetch({ cert: readFileSync('client.pem', 'utf8'), key: readFileSync('client.key', 'utf8') });
 * const authFetch = createAuthFetch({ fetch: tls.fetch, mtls: true, client: { clientId: 'agent', tokenEndpointAuthMethod: 'self_signed_tls_client_auth' }, grant: 'client_credentials' });
 * ```
 * @see RFC 8705 §2 (client authentication), §3 (bound tokens), §5 (endpoint aliases)
 */
export function createMtlsFetch(options: MtlsFetchOptions): MtlsFetch {
  const ca = options.ca === undefined ? undefined : [options.ca].flat().map(asBuffer);
  const dispatcher = new Agent({
    connect: {
      cert: asBuffer(options.cert),
      key: asBuffer(options.key),
      ...(ca && { ca }),
    },
  });
  const fetch: FetchLike = async (input, init) => {
    // undici's fetch takes its own Request class only: send a global one as URL + init.
    let url: string | URL;
    let base: RequestInit = {};
    if (typeof input === 'object' && 'method' in input) {
      url = input.url;
      base = {
        method: input.method,
        headers: input.headers,
        redirect: input.redirect,
        signal: input.signal,
        ...(input.body !== null && { body: await input.arrayBuffer() }),
      };
    } else {
      url = input;
    }
    const res = await undiciFetch(url, {
      ...(base as object),
      ...(init as object),
      dispatcher,
    } as Parameters<typeof undiciFetch>[1]);
    return new Response(res.body as ReadableStream<Uint8Array> | null, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers as unknown as Headers,
    });
  };
  return { fetch, close: () => dispatcher.close() };
}
