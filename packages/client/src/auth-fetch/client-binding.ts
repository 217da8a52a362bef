import type { PreRegisteredClient } from '../oauth/types.js';

/**
 * A pre-registered client serves one authorization server: the one it names, else the
 * first one it is used with. Another server named by some resource never gets its secret.
 */
export class PreRegisteredBinding {
  #issuer: string | undefined;
  readonly #client: PreRegisteredClient | undefined;

  constructor(client: PreRegisteredClient | undefined) {
    this.#client = client;
    this.#issuer = client?.issuer;
  }

  /** The pre-registered client, bound to its issuer (binding it to `issuer` on first use). */
  for(issuer: string): PreRegisteredClient | undefined {
    if (!this.#client) return undefined;
    this.#issuer ??= issuer;
    return { ...this.#client, issuer: this.#issuer };
  }
}
