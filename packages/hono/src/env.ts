import type { AuthInfo } from '@prmkit/core';

/** `c.get('auth')`: the verified token after `requireAuth()`, `undefined` elsewhere. @see RFC 9068 §2.2 */
export interface PrmkitVariables {
  auth: AuthInfo | undefined;
}

/** Hono environment of an app using prmkit: `new Hono<PrmkitEnv>()`. @see RFC 9068 §2.2 */
export interface PrmkitEnv {
  Variables: PrmkitVariables;
}

/**
 * What `requireAuth()` gives the handlers after it: there `c.get('auth')` is `AuthInfo`, so
 * `c.get('auth').subject` compiles on protected routes only, instead of failing at run time.
 *
 * @example
 * ```ts
 * app.post('/mcp', prm.requireAuth(), (c) => c.json({ sub: c.get('auth').subject }));
 * ```
 * @see RFC 9068 §2.2
 */
export interface ProtectedEnv {
  Variables: { auth: AuthInfo };
}
