import autocannon from 'autocannon';

/**
 * Runs autocannon against one URL and returns the figures BENCHMARKS.md reports.
 * `nextToken` rotates a pool shared by every connection, so with `rotating` tokens no two
 * requests in a row carry the same token.
 *
 * @param {{ url: string, connections: number, duration: number, token?: string, nextToken?: () => string, overallRate?: number }} o
 */
export async function load(o) {
  const headers = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const requests = o.nextToken
    ? [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${o.nextToken()}` },
          }),
        },
      ]
    : undefined;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.duration,
    headers,
    ...(requests ? { requests } : {}),
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
