/** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Whether `value` is one RFC 6749 §3.3 scope token: one or more printable ASCII
 * characters other than space, `"` and `\`.
 *
 * @example
 * ```ts
 * isScopeToken('mcp:tools'); // true
 * isScopeToken('read write'); // false (two tokens)
 * isScopeToken(''); // false
 * ```
 * @see RFC 6749 §3.3
 */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** Order-preserving union without duplicates. */
export function unionScopes(...lists: readonly (readonly string[] | undefined)[]): string[] {
  // The common cases (no scopes at all, or a single scope in one list) build no Set.
  let only: readonly string[] | undefined;
  let nonEmpty = 0;
  for (const list of lists) {
    if (list === undefined || list.length === 0) continue;
    only = list;
    nonEmpty++;
  }
  if (only === undefined) return [];
  if (nonEmpty === 1 && only.length === 1) return [only[0] as string];
  const out = new Set<string>();
  for (const list of lists) if (list) for (const scope of list) out.add(scope);
  return [...out];
}

/** Scopes of `required` that `granted` lacks; compared token by token, case-sensitively. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  if (required.length === 0) return [];
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}
