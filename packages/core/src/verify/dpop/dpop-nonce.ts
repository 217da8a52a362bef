import { base64url } from 'jose';

/** Issues and checks stateless DPoP server nonces. */
export interface DpopNonces {
  /** A fresh nonce: `<issued seconds>.<HMAC-SHA-256 of it, base64url>`. */
  issue(): Promise<string>;
  /** Whether `nonce` was issued with this secret for this resource and is still fresh. */
  check(nonce: string): Promise<boolean>;
}

const encoder = new TextEncoder();
const NONCE = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Stateless nonces (RFC 9449 §9): an authenticated timestamp, so that several instances
 * sharing `secret` accept each other's nonces without shared state. The MAC covers the
 * resource, so a nonce of one resource is not valid at another that shares the secret.
 */
export function createDpopNonces(
  secret: Uint8Array,
  resource: string,
  lifetime: number,
  futureTolerance: number,
  now: () => number = () => Math.floor(Date.now() / 1000),
): DpopNonces {
  const key = crypto.subtle.importKey(
    'raw',
    secret as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const input = (issued: string): Uint8Array<ArrayBuffer> =>
    encoder.encode(`dpop-nonce ${resource} ${issued}`);
  return {
    async issue() {
      const issued = String(now());
      const mac = await crypto.subtle.sign('HMAC', await key, input(issued));
      return `${issued}.${base64url.encode(new Uint8Array(mac))}`;
    },
    async check(nonce) {
      const match = NONCE.exec(nonce);
      if (!match) return false;
      const issued = Number(match[1]);
      const t = now();
      if (issued > t + futureTolerance || t - issued > lifetime) return false;
      let mac: Uint8Array;
      try {
        mac = base64url.decode(match[2] as string);
      } catch {
        return false;
      }
      return crypto.subtle.verify(
        'HMAC',
        await key,
        mac as Uint8Array<ArrayBuffer>,
        input(match[1] as string),
      );
    },
  };
}
