import type { ExpectedValues } from '../model/authorize-types.js';
import type { ResolvedConfig } from './config.js';
import { DEFAULT_JWT_ALGORITHMS, HMAC_ALGORITHMS } from '../verify/token/algorithms.js';
import { createMemoryStore } from '../state/memory-store.js';
import type { KeyValueStore, Store } from '../state/types.js';

/** What every token of this server is compared against (scopes are per request). */
export function expectedValues(config: ResolvedConfig): Omit<ExpectedValues, 'scopes'> {
  const v = config.verification;
  const actor =
    config.verification.kind === 'custom' ? undefined : config.verification.options.actor;
  const base = {
    issuers: config.authorizationServers,
    audience: config.resource,
    ...(actor ? { actors: actor.allowed } : {}),
  };
  if (v.kind !== 'jwt') return base;
  const o = v.options;
  return {
    ...base,
    types: o.acceptedTypes ?? ['at+jwt'],
    algorithms: o.algorithms ?? (o.secret === undefined ? DEFAULT_JWT_ALGORITHMS : HMAC_ALGORITHMS),
  };
}

function isStore(store: KeyValueStore | undefined): store is Store {
  return typeof (store as Partial<Store> | undefined)?.increment === 'function';
}

/** Where refusal counters live: the configured store when it can count, else memory. */
export function counterStore(config: ResolvedConfig): Store {
  return isStore(config.store) ? config.store : createMemoryStore();
}
