import type { AuthInfo } from '../../model/types.js';

/** Freezes a JSON value in place (claims come from JSON, so there are no cycles). */
function deepFreeze(value: unknown, depth: number): void {
  // Claims are parsed JSON of a size-capped token: depth is small. The cap only bounds work.
  if (depth > 64 || typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member, depth + 1);
}

/**
 * Makes a verified `AuthInfo` safe to share: one cached object is handed to every request
 * presenting the same token, so a handler that mutated `scopes` or `claims` would
 * otherwise change what the next request is allowed to do.
 */
export function freezeAuthInfo(auth: AuthInfo): AuthInfo {
  deepFreeze(auth, 0);
  return auth;
}
