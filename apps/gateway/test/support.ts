import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real reverse proxy in front of a backend that records the headers of every request
 * it forwards (to prove what reaches the backend), streaming both ways.
 */
export interface RecordingForwarder {
  readonly url: string;
  readonly seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function recordingForwarder(backendOrigin: string): Promise<RecordingForwarder> {
  const seen: IncomingHttpHeaders[] = [];
  const backend = new URL(backendOrigin);
  const server = createServer((req, res) => {
    seen.push({ ...req.headers });
    const upstream = httpRequest(
      {
        hostname: backend.hostname,
        port: backend.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: backend.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The bearer tokens in recorded headers. */
export const bearerTokens = (seen: readonly IncomingHttpHeaders[]): string[] =>
  seen
    .map((headers) => headers.authorization ?? '')
    .filter((value) => value.startsWith('Bearer '))
    .map((value) => value.slice('Bearer '.length));
