/** One HTTP exchange a client made. */
export interface Traced {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** `grant_type` of a form POST (token requests), when present. */
  readonly grantType?: string;
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
    const response = await base(request);
    log.push({
      method: request.method,
      url: request.url,
      status: response.status,
      ...(grantType === undefined ? {} : { grantType }),
    });
    return response;
  };
}

/** The text blocks of a tools/call result, joined. */
export const textOf = (result: unknown): string => {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');
};
