import type * as OidcProvider from 'oidc-provider';

type OidcProviderModule = typeof OidcProvider;

let loading: Promise<OidcProviderModule> | undefined;

const UNSUPPORTED_RUNTIME = 'oidc-provider WARNING: Unsupported runtime.';

/**
 * Imports oidc-provider once. Its entry warns on every Node release older than 22, but
 * this project runs on Node 20 by design and its tests pass there, so that one notice is
 * dropped while the module loads; every other message passes through unchanged.
 */
export function loadOidcProvider(): Promise<OidcProviderModule> {
  loading ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME)) return;
      warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return loading;
}
