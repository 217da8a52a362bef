// @prmkit/core/store — shared state (introspection cache, DPoP replay, rate-limit counters):
// the interface, the in-memory and Workers KV stores, and the helpers a store implementer
// (such as @prmkit/redis) needs. Web APIs only.
export { STORE_LIMITS, type KeyValueStore, type Store } from './state/types.js';
export { createMemoryStore, type MemoryStoreOptions } from './state/memory-store.js';
export { createWorkersKvStore, type KvNamespaceLike } from './state/workers-kv-store.js';
export { checkStoreArguments, type StoreOperation } from './state/check.js';
export { withinStoreBudget } from './state/budget.js';
export { tokenStoreKey } from './state/token-key.js';
