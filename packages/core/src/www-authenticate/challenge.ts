/**
 * One authentication challenge from a `WWW-Authenticate` header: a scheme plus either
 * named parameters or a single token68.
 *
 * @example
 * ```ts
 * const c: Challenge = {
 *   scheme: 'Bearer',
 *   params: { resource_metadata: 'https://api.example.com/.well-known/oauth-protected-resource' },
 * };
 * ```
 * @see RFC 9110 §11.6.1
 * @see RFC 6750 §3
 */
export interface Challenge {
  /** Auth scheme as written, e.g. 'Bearer', 'DPoP', 'Basic'. Compare case-insensitively. */
  scheme: string;
  /** Parameter names lower-cased by the parser; values unescaped. */
  params: Record<string, string>;
  /** RFC 9110 token68 form (e.g. `Negotiate abc==`), mutually exclusive with params. */
  token68?: string;
}
