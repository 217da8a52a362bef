import type { AllowHttp, AllowPrivateNetwork, FetchLike, TrustedSignerKeys } from '@prmkit/client';

/**
 * Outcome of one check. `skip`: the check could not run (an earlier step failed, or the
 * situation it checks did not arise).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** The four steps of the discovery chain, in the order a client walks them. */
export type StepId = 'challenge' | 'resource_metadata' | 'authorization_server' | 'token_call';

/**
 * One verdict: a stable `id` (e.g. `challenge.resource_metadata`), the status, a one-line
 * reason and the spec section the rule comes from.
 */
export interface Check {
  readonly id: string;
  readonly status: CheckStatus;
  /** One line, human readable; may quote values received from the server. */
  readonly reason: string;
  /** Where the rule comes from, e.g. `RFC 9728 §3.3`. */
  readonly spec: string;
  /** The URL the check is about, when it is not the step's own URL. */
  readonly url?: string;
}

/** The checks of one step. There is one `authorization_server` step per listed server. */
export interface StepReport {
  readonly id: StepId;
  readonly title: string;
  /** The URL this step is about (server URL, metadata URL, issuer), when known. */
  readonly subject?: string;
  readonly checks: readonly Check[];
}

/** One HTTP request the inspector made, in order. */
export interface RequestRecord {
  readonly method: string;
  readonly url: string;
  /** `null` when no response arrived (network failure, timeout). */
  readonly status: number | null;
  readonly ms: number;
  readonly error?: string;
}

/**
 * The result of {@link inspect}; also the `--json` output (documented in the README;
 * `schemaVersion` changes only on a breaking change of this shape).
 */
export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  /** The URL inspected, as given. */
  readonly url: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** `true` when no check failed: the exit code is 0 exactly then. */
  readonly ok: boolean;
  readonly summary: {
    readonly pass: number;
    readonly warn: number;
    readonly fail: number;
    readonly skip: number;
  };
  readonly steps: readonly StepReport[];
  readonly requests: readonly RequestRecord[];
}

/** Live progress, in order: every request as it completes, every step once checked. */
export type ProgressEvent =
  | { readonly type: 'request'; readonly request: RequestRecord }
  | { readonly type: 'step'; readonly step: StepReport };

/** Options of {@link inspect}. */
export interface InspectOptions {
  /** An access token for the server: enables the token-call step. Sent only to `url`. */
  readonly token?: string | undefined;
  /** Per request, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** `'loopback'` accepts plain http on 127.0.0.1, ::1 and localhost (local testing). */
  readonly allowHttp?: AllowHttp;
  /**
   * `'private-and-link-local'` accepts URLs from the server's answers that name an IP
   * address in a private, link-local, carrier-grade NAT or unique-local range (intranet
   * servers). Default: such a URL fails its check and is not fetched, as `@prmkit/client`
   * refuses it. The command line's `--allow-private-network`.
   */
  readonly allowPrivateNetwork?: AllowPrivateNetwork;
  /**
   * Keys to check the metadata's `signed_metadata` with (RFC 9728 §2.2): a JWKS, or the
   * https URL of one, obtained out of band. Without it a signed document is a WARN.
   */
  readonly trustJwks?: TrustedSignerKeys | undefined;
  /** Receives live progress. */
  readonly onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** fetch implementation; default `globalThis.fetch`. */
  readonly fetch?: FetchLike | undefined;
}
