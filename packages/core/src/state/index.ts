export type { KeyValueStore, Store } from './types.js';
export { STORE_LIMITS } from './types.js';
export { checkStoreArguments, type StoreOperation } from './check.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createWorkersKvStore, type KvNamespaceLike } from './workers-kv-store.js';
export { withinStoreBudget } from './budget.js';
export { tokenStoreKey } from './token-key.js';
