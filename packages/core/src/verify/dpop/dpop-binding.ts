/**
 * The `cnf.jkt` (RFC 9449 §6.1) of a token's claims (from a JWT or an introspection
 * answer), or `undefined` when the token is not DPoP-bound.
 */
export function dpopJkt(claims: Readonly<Record<string, unknown>>): string | undefined {
  const cnf = claims.cnf;
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return undefined;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : undefined;
}

/**
 * Whether a `cnf` claim binds the token to a DPoP key and nothing else: the only binding a
 * DPoP-enabled resource server can check. Any other member (mTLS `x5t#S256`, ...) needs a
 * proof prmkit does not check, so such a token stays refused.
 */
export function isDpopOnlyConfirmation(cnf: unknown): boolean {
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return false;
  const keys = Object.keys(cnf);
  return (
    keys.length === 1 && keys[0] === 'jkt' && typeof (cnf as { jkt?: unknown }).jkt === 'string'
  );
}
