/** Reflect metadata key set by `@Public()`. Namespaced so it never clashes with other libraries. */
export const PRMKIT_PUBLIC_KEY = 'prmkit:public';

/** Reflect metadata key set by `@RequireScopes()`. */
export const PRMKIT_SCOPES_KEY = 'prmkit:scopes';
