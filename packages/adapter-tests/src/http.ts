import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A response as the suite inspects it. */
export interface SuiteResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers: Headers;
  readonly body: string;
}

/** TLS of a suite request to an https origin (PEM): the server's CA, the client certificate. */
export interface ClientTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** One request of the suite. `headers` values that are arrays are sent as repeated header lines. */
export interface SuiteRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string;
}

/**
 * Sends a request over node:http, which (unlike fetch) can repeat a header line, e.g. two
 * `Authorization` headers. Bounded by `timeoutMs`.
 *
 * @example
 * ```ts
 * const res = await send('http://127.0.0.1:3000', { path: '/mcp', headers: { authorization: ['Bearer a', 'Bearer b'] } });
 * ```
 * @see RFC 6750 §2 (one method, one token)
 */
export function send(
  origin: string,
  req: SuiteRequest,
  timeoutMs = 10_000,
  tls: ClientTls = {},
): Promise<SuiteResponse> {
  const url = new URL(req.path, origin);
  const https = url.protocol === 'https:';
  const request = https ? httpsRequest : httpRequest;
  // A fresh connection per request (no agent): each carries its own client certificate.
  const options = {
    method: req.method ?? 'GET',
    timeout: timeoutMs,
    ...(https && { agent: false as const, ca: tls.ca, cert: tls.cert, key: tls.key }),
  };
  return new Promise((resolve, reject) => {
    const outgoing = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          headers.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`request timed out after ${timeoutMs} ms`)),
    );
    outgoing.on('error', reject);
    for (const [name, value] of Object.entries(req.headers ?? {}))
      outgoing.setHeader(name, typeof value === 'string' ? value : [...value]);
    if (req.body !== undefined) outgoing.setHeader('content-length', Buffer.byteLength(req.body));
    outgoing.end(req.body);
  });
}
