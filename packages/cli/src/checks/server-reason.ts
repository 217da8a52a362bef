const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The reason a server gave for refusing a call, in its own words: RFC 6750
 * `error`/`error_description` from the challenge, else from a JSON body (a 503 or 429
 * carries no challenge). Printable ASCII only, capped, so a hostile server cannot write
 * escape sequences into the terminal.
 */
export function serverReason(
  challenge: Readonly<Record<string, string>> | undefined,
  body: string | undefined,
): { error?: string; description?: string } {
  let parsed: unknown;
  try {
    parsed = body === undefined ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const fromBody = isJsonObject(parsed) ? parsed : {};
  const pick = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' ? v.replace(/[^\x20-\x7E]/g, '?').slice(0, 300) : undefined;
  const error = pick(challenge?.['error']) ?? pick(fromBody['error']);
  const description = pick(challenge?.['error_description']) ?? pick(fromBody['error_description']);
  return { ...(error ? { error } : {}), ...(description ? { description } : {}) };
}
