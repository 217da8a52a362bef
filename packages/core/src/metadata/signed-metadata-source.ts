import type { SignedMetadataOptions } from '../model/signed-metadata-types.js';
import type { MetadataResponse } from '../model/authorize-types.js';
import { PrmkitError } from '../model/errors.js';
import type { ProtectedResourceMetadata } from '../model/metadata.js';
import {
  type DocumentEdition,
  type EditionSource,
  documentEdition,
  unavailableResponse,
} from './metadata-handler.js';
import { createMetadataSigner } from './sign-metadata.js';

/** Where a signing failure is reported: the configured logger (metadata/ sits below observe/). */
interface WarnLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** After a failed signature, wait this long before trying again, ms. */
const RETRY_AFTER_FAILURE_MS = 5_000;

/**
 * Serves metadata signed with `signedMetadata` (RFC 9728 §2.2), re-signing it as needed.
 *
 * Why this shape: the core answers metadata requests synchronously (adapters write the
 * answer in the same tick) but Web Crypto signs asynchronously. So the signature is made
 * eagerly, when the resource server is created, and kept; every request is served from
 * the kept edition. With a lifetime, the first request after half of it has passed starts
 * a new signature in the background and is served the current one with
 * `Cache-Control: no-cache` (it is still valid, but must not be cached past its `exp`).
 * No edition, or an expired one: 503 with `Retry-After` and a signature is started. It
 * never serves the document unsigned.
 */
export interface SignedMetadataSource {
  /** The edition to serve now (or a 503), for the metadata handler. */
  readonly metadata: EditionSource;
  /** The public JWKS edition, when `jwksPath` is set. */
  readonly jwks: EditionSource | undefined;
  /** The latest signed document, or `undefined` before the first signature. */
  latest(): ProtectedResourceMetadata | undefined;
  /** Resolves with a valid signed document (and the JWKS ready); rejects if signing fails. */
  ready(): Promise<ProtectedResourceMetadata>;
}

interface Signed {
  readonly document: ProtectedResourceMetadata;
  readonly edition: DocumentEdition;
  /** The same body, `Cache-Control: no-cache`: served once a new signature is due. */
  readonly stale: DocumentEdition;
  /** Seconds since the epoch. */
  readonly exp: number;
  readonly refreshAt: number;
}

/**
 * Starts signing `plain` now and returns what serves it.
 *
 * @see RFC 9728 §2.2
 */
export function createSignedMetadataSource(
  plain: ProtectedResourceMetadata,
  options: SignedMetadataOptions,
  context: {
    readonly cacheControl: string;
    readonly logger: WarnLogger | undefined;
    /** Milliseconds since the epoch. Default `Date.now`. */
    readonly now?: () => number;
  },
): SignedMetadataSource {
  const now = context.now ?? Date.now;
  const signer = createMetadataSigner(options);
  const unavailable: MetadataResponse = unavailableResponse(1);
  let current: Signed | undefined;
  let pending: Promise<void> | undefined;
  let failure: { error: unknown; until: number } | undefined;

  const resign = (): Promise<void> => {
    if (pending) return pending;
    const iat = Math.floor(now() / 1000);
    const run = signer.sign(plain, iat).then(
      (document) => {
        const lifetime = options.lifetime;
        current = {
          document,
          edition: documentEdition(document, context.cacheControl),
          stale: documentEdition(document, 'no-cache'),
          exp: lifetime === undefined ? Infinity : iat + lifetime,
          refreshAt: lifetime === undefined ? Infinity : iat + lifetime / 2,
        };
        failure = undefined;
      },
      (error: unknown) => {
        failure = { error, until: now() + RETRY_AFTER_FAILURE_MS };
        context.logger?.warn(
          { code: 'metadata_signing_failed', err: error },
          'prmkit: signing the protected resource metadata failed; it is answered 503 until signing works (RFC 9728 §2.2)',
        );
      },
    );
    pending = run.finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const kick = (): void => {
    if (!pending && (failure === undefined || now() >= failure.until)) void resign();
  };

  let jwksEdition: DocumentEdition | MetadataResponse = unavailable;
  const jwksReady =
    options.jwksPath === undefined
      ? Promise.resolve()
      : signer.publicJwks().then(
          (jwks) => {
            jwksEdition = documentEdition(jwks, context.cacheControl);
          },
          (error: unknown) => {
            context.logger?.warn(
              { code: 'metadata_signing_failed', err: error },
              'prmkit: the public key for signed metadata could not be exported; its JWKS is answered 503',
            );
            throw error;
          },
        );
  // Rejections are reported by ready() and the log; never left unhandled.
  jwksReady.catch(() => undefined);
  void resign();

  return {
    metadata: () => {
      const t = now() / 1000;
      const c = current;
      if (c === undefined || t >= c.exp) {
        kick();
        return unavailable;
      }
      if (t >= c.refreshAt) {
        kick();
        return c.stale;
      }
      return c.edition;
    },
    jwks: options.jwksPath === undefined ? undefined : () => jwksEdition,
    latest: () => current?.document,
    async ready() {
      const fresh = (): Signed | undefined =>
        current !== undefined && now() / 1000 < current.exp ? current : undefined;
      // A signature in flight (a renewal, say) is waited for, so the answer is the newest.
      if (pending) await pending;
      if (!fresh()) await resign();
      const signed = fresh();
      if (!signed) {
        throw new PrmkitError('metadata_signing_failed', 'signing the metadata failed', {
          cause: failure?.error,
        });
      }
      try {
        await jwksReady;
      } catch (cause) {
        throw new PrmkitError(
          'metadata_signing_failed',
          'exporting the public key for jwksPath failed',
          { cause },
        );
      }
      return signed.document;
    },
  };
}
