/** One HTTP exchange a client made. */
export interface Traced {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** `grant_type` of a form POST (token requests), when present. */
  readonly grantType?: string;
  /** The MCP request headers sent (SEP-2243), when any was. */
  readonly mcp?: {
    readonly method: string | null;
    readonly name: string | null;
    readonly protocolVersion: string | null;
  };
  /** The JSON-RPC `method` of a JSON POST body, when it has one. */
  readonly rpcMethod?: string;
}

/**
 * A fetch that records every exchange (to assert the flow, not to mock it): method, URL,
 * status and, for token requests, the grant type.
 */
export function tracingFetch(log: Traced[], base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    let grantType: string | undefined;
    if (request.method === 'POST' && request.headers.get('content-type')?.includes('form')) {
      grantType = new URLSearchParams(await request.clone().text()).get('grant_type') ?? undefined;
    }
    let rpcMethod: string | undefined;
    if (request.method === 'POST' && request.headers.get('content-type')?.includes('json')) {
      const body = JSON.parse(await request.clone().text()) as { method?: unknown } | unknown[];
      if (!Array.isArray(body) && typeof body.method === 'string') rpcMethod = body.method;
    }
    const h = request.headers;
    const sent = ['mcp-method', 'mcp-name', 'mcp-protocol-version'].some((n) => h.has(n));
    const response = await base(request);
    log.push({
      method: request.method,
      url: request.url,
      status: response.status,
      ...(grantType === undefined ? {} : { grantType }),
      ...(rpcMethod === undefined ? {} : { rpcMethod }),
      ...(sent
        ? {
            mcp: {
              method: h.get('mcp-method'),
              name: h.get('mcp-name'),
              protocolVersion: h.get('mcp-protocol-version'),
            },
          }
        : {}),
    });
    return response;
  };
}

/** The text blocks of a tools/call result, joined. */
export const textOf = (result: unknown): string => {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');
};
