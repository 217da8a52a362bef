import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { textOf } from './trace.js';

/** What `whoami` answers. */
export interface Whoami {
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly issuer: string | null;
}

/** Connects the SDK v2 client with a fixed bearer token and asks `whoami`. */
export async function whoamiWith(url: string, token: string): Promise<Whoami> {
  const client = new Client({ name: 'interop', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      authProvider: { token: async () => token },
    }),
  );
  try {
    return JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as Whoami;
  } finally {
    await client.close();
  }
}

/** One raw tools/list POST with a bearer token; the status and challenge of the answer. */
export async function postWith(
  url: string,
  token: string,
): Promise<{ status: number; challenge: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}
