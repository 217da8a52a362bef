/**
 * The last `DPoP-Nonce` each server handed out (RFC 9449 §8 for authorization servers, §9
 * for resource servers), kept apart per role and server so a nonce never goes to another.
 */
export class DpopNonces {
  readonly #byServer = new Map<string, string>();

  /** The nonce to put in the next proof for `server`, if any. */
  get(role: 'as' | 'rs', server: string): string | undefined {
    return this.#byServer.get(`${role} ${server}`);
  }

  /** Remembers a response's `DPoP-Nonce`; resolves the new nonce, or undefined if none was sent. */
  remember(role: 'as' | 'rs', server: string, headers: Headers): string | undefined {
    const nonce = headers.get('dpop-nonce') ?? undefined;
    // NQCHAR (RFC 9449 §8.1): printable ASCII without space, `"` or `\`.
    if (nonce === undefined || !/^[\x21\x23-\x5B\x5D-\x7E]{1,1024}$/.test(nonce)) return undefined;
    this.#byServer.set(`${role} ${server}`, nonce);
    return nonce;
  }
}
