import { ClientError } from '../errors.js';
import { asObject } from '../http.js';
import type { ClientErrorCode } from '../errors.js';

/**
 * One thing wrong with a metadata document, as the validators of `@prmkit/client` find it:
 * the {@link ClientError} code discovery throws for it, the member at fault, a sentence, and
 * the spec section the rule comes from. Tools that report every problem (the `prmkit`
 * command) read these; clients call the `validate…` functions, which throw the first.
 */
export interface MetadataProblem {
  readonly code: ClientErrorCode;
  /** The member at fault; `''` when the document as a whole is refused. */
  readonly member: string;
  readonly message: string;
  /** Where the rule is written, e.g. `'RFC 9728 §3.3'`. */
  readonly see: string;
  /**
   * `'invalid'`: the document breaks its format (a member missing or of the wrong type).
   * `'refused'`: it is well formed, but a safety rule refuses it (a resource or issuer other
   * than expected, a URL the client may not use, no PKCE S256).
   */
  readonly verdict: 'invalid' | 'refused';
}

/** Throws the first of `problems` as a `ClientError`; returns normally when there is none. */
export function throwFirstProblem(problems: readonly MetadataProblem[]): void {
  const [first] = problems;
  if (first) throw new ClientError(first.code, `${first.message} (${first.see})`);
}

/**
 * The problem of a metadata `document` that is no JSON object, or `undefined` when it is
 * one (RFC 9728 §3.2, RFC 8414 §3.2).
 */
export function notAnObjectProblem(
  document: unknown,
  code: 'resource_metadata_invalid' | 'authorization_server_metadata_invalid',
): MetadataProblem | undefined {
  if (asObject(document)) return undefined;
  const resource = code === 'resource_metadata_invalid';
  return {
    code,
    verdict: 'invalid',
    member: '',
    message: `${resource ? 'protected resource' : 'authorization server'} metadata must be a JSON object`,
    see: resource ? 'RFC 9728 §3.2' : 'RFC 8414 §3.2',
  };
}
