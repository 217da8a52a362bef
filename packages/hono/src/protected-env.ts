import type { AuthInfo } from '@prmkit/core';

/**
 * The environment `requireAuth()` adds to the handlers after it: there `c.get('auth')` is
 * the verified `AuthInfo`. Elsewhere (routes without `requireAuth()`) the app's
 * `PrmkitEnv` types it as `AuthInfo | undefined`, so `c.get('auth').subject` on an
 * unprotected route does not compile instead of failing at run time.
 *
 * @example
 * ```ts
 * app.post('/mcp', prm.requireAuth(), (c) => c.json({ sub: c.get('auth').subject }));
 * app.get('/health', (c) => c.json({ signedIn: c.get('auth') !== undefined }));
 * ```
 * @see RFC 9068 §2.2 (the claims behind AuthInfo)
 */
export interface ProtectedEnv {
  Variables: { auth: AuthInfo };
}
