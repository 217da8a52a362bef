import type { DiscoveryResult } from '../discover-types.js';
import type { TokenSet } from '../oauth/types.js';
import type { StoreKey } from '../store.js';

/** What `createAuthFetch` knows about one resource URL (origin + path). */
export interface Session {
  discovery: DiscoveryResult | undefined;
  key: StoreKey | undefined;
  /** Full authorizations since the last success. */
  attempts: number;
  /** Scopes asked for in the last authorization. */
  requested: readonly string[] | undefined;
  inflight: Promise<Obtained> | undefined;
}

/** Tokens to retry with. */
export interface Obtained {
  readonly tokens: TokenSet;
  /** Newly issued for this request (a 401 with it is final). */
  readonly fresh: boolean;
}
