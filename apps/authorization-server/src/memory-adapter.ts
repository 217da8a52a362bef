import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; `Infinity` when the model has no expiry. */
  expiresAt: number;
}

/** Storage cap: a local server must not grow without bound, whatever clients do. */
const MAX_ENTRIES = 50_000;

/**
 * A bounded in-memory store for oidc-provider's models (sessions, grants, codes, tokens,
 * registered clients). State is lost on restart, which is what a local demo server wants.
 *
 * oidc-provider ships a similar adapter but prints a warning whenever it is used; this one
 * keeps the console clean and caps its size.
 *
 * @example
 * ```ts
 * const provider = new Provider(issuer, { adapter: createMemoryAdapter() });
 * ```
 */
export function createMemoryAdapter(): AdapterFactory {
  const entries = new Map<string, Entry>();
  const sessionByUid = new Map<string, string>();
  const grantMembers = new Map<string, Set<string>>();

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  const evictIfFull = (): void => {
    if (entries.size < MAX_ENTRIES) return;
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key);
    }
    // Still full: drop the oldest insertions (Map keeps insertion order).
    const excess = entries.size - MAX_ENTRIES + 1;
    let dropped = 0;
    for (const key of entries.keys()) {
      if (dropped >= excess) break;
      entries.delete(key);
      dropped += 1;
    }
    for (const [grantId, members] of grantMembers) {
      for (const key of members) if (!entries.has(key)) members.delete(key);
      if (members.size === 0) grantMembers.delete(grantId);
    }
  };

  return (model: string): Adapter => {
    const keyFor = (id: string): string => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        evictIfFull();
        const key = keyFor(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
        entries.set(key, { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string')
          sessionByUid.set(payload.uid, id);
        if (typeof payload.grantId === 'string') {
          const members = grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          grantMembers.set(payload.grantId, members);
        }
      },
      async find(id) {
        return live(keyFor(id));
      },
      async findByUid(uid) {
        const id = sessionByUid.get(uid);
        return id === undefined ? undefined : live(keyFor(id));
      },
      async findByUserCode(userCode) {
        for (const [key, entry] of entries) {
          if (key.startsWith(`${model}:`) && entry.payload.userCode === userCode) return live(key);
        }
        return undefined;
      },
      async consume(id) {
        const payload = live(keyFor(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const key = keyFor(id);
        const payload = entries.get(key)?.payload;
        entries.delete(key);
        if (payload && typeof payload.uid === 'string' && sessionByUid.get(payload.uid) === id) {
          sessionByUid.delete(payload.uid);
        }
      },
      async revokeByGrantId(grantId) {
        for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
        grantMembers.delete(grantId);
      },
    };
  };
}
