import type { DiscoveryResult } from '../discover-types.js';
import { DPOP_ALGORITHM, generateDpopKey, isDpopKeyPair } from '../dpop/dpop-key.js';
import type { DpopNonces } from '../dpop/dpop-nonces.js';
import type { TokenSet } from '../oauth/types.js';
import type { AuthContext } from './context.js';

/**
 * Whether tokens for this resource are to be DPoP-bound: when the resource requires it
 * (`dpop_bound_access_tokens_required`, or a 401 with DPoP challenges only), or with
 * `dpop: 'when-supported'` when the authorization server advertises ES256 in
 * `dpop_signing_alg_values_supported`. `dpop: 'never'` never.
 *
 * @see RFC 9449 §5.1 (AS metadata), RFC 9728 §2 (`dpop_bound_access_tokens_required`)
 */
export function wantsDpop(ctx: AuthContext, d: DiscoveryResult): boolean {
  const choice = ctx.options.dpop ?? 'when-required';
  if (choice === 'never') return false;
  if (d.resourceMetadata.dpop_bound_access_tokens_required === true) return true;
  // A resource that challenges with DPoP only accepts nothing else (RFC 9449 §7.1).
  if (d.challenges.length > 0 && d.challenges.every((c) => c.scheme === 'dpop')) return true;
  const algs = d.authorizationServerMetadata['dpop_signing_alg_values_supported'];
  return choice === 'when-supported' && Array.isArray(algs) && algs.includes(DPOP_ALGORITHM);
}

/**
 * The DPoP part of a token request: the key already bound to `existing` tokens (one key
 * per client and authorization server, reused by refreshes and re-authorizations), else a
 * new non-extractable one; `undefined` when DPoP is not used.
 */
export async function dpopSigner(
  ctx: AuthContext,
  d: DiscoveryResult,
  existing: TokenSet | undefined,
): Promise<{ key: CryptoKeyPair; nonces: DpopNonces } | undefined> {
  if (isDpopKeyPair(existing?.dpopKey)) return { key: existing.dpopKey, nonces: ctx.nonces };
  if (!wantsDpop(ctx, d)) return undefined;
  return { key: await generateDpopKey(), nonces: ctx.nonces };
}
