import { TokenError } from '@prmkit/core';
import type { AuthInfo, TokenVerifier } from '@prmkit/core';

/**
 * A cheap inner verifier that isolates the cache from crypto (the crypto path has its own
 * tests and the integration test below uses real tokens). Tokens starting with `bad` are
 * refused; `exp` comes from `expiresAt`.
 */
export function countingVerifier(
  expiresAt: (token: string) => number | undefined = () => undefined,
) {
  const calls: string[] = [];
  let gate: Promise<void> | undefined;
  const verifier: TokenVerifier = {
    async verify(token: string): Promise<AuthInfo> {
      calls.push(token);
      if (gate) await gate;
      if (token.startsWith('bad')) throw new TokenError('signature_invalid', 'refused');
      return {
        token,
        subject: `sub-${token}`,
        clientId: 'client',
        scopes: ['read'],
        audience: ['https://rs.example/mcp'],
        issuer: 'https://as.example',
        expiresAt: expiresAt(token),
        claims: { sub: `sub-${token}`, nested: { roles: ['a'] } },
      };
    },
  };
  return {
    verifier,
    calls,
    /** Holds every verification until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}
