import type { Exchange, Recorder } from './recorder.js';

/**
 * One request made by the inspector itself, for facts discovery does not expose (CORS,
 * the other well-known location, the token call). Recorded like discovery's own requests;
 * never follows redirects; bounded by `timeoutMs`. The body is not kept except as the
 * recorder keeps JSON bodies.
 */
export async function extraRequest(
  recorder: Recorder,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<Exchange> {
  const before = recorder.exchanges.length;
  try {
    const res = await recorder.fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers ?? { accept: 'application/json' },
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
  } catch {
    // Recorded with its error below.
  }
  const recorded = recorder.exchanges[before];
  return (
    recorded ?? {
      method: init.method ?? 'GET',
      url,
      status: undefined,
      ms: 0,
      error: 'not sent',
      headers: undefined,
      body: undefined,
    }
  );
}
