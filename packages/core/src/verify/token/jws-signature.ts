import { TokenError } from '../../model/errors.js';
import type { JwsAlgorithm } from './jws-algorithm.js';
import { keyProblem } from './jws-algorithm.js';
import type { SignatureBackend } from './signature-backend.js';

/**
 * Checks one signature of a compact JWS with `backend`, after the core's own check that
 * `key` fits the algorithm. Throws `TokenError('signature_invalid')` for a key that does
 * not fit, a signature that does not verify, and anything the backend throws.
 */
export async function checkSignature(
  backend: SignatureBackend,
  algorithm: JwsAlgorithm,
  key: CryptoKey,
  signingInput: string,
  signature: Uint8Array,
): Promise<void> {
  const problem = keyProblem(algorithm, key);
  if (problem !== undefined) {
    throw new TokenError(
      'signature_invalid',
      `the token signature could not be verified: ${problem} (${algorithm.alg})`,
    );
  }
  let valid: boolean;
  try {
    const answer = backend.verify(algorithm, key, signingInput, signature);
    valid = typeof answer === 'boolean' ? answer : await answer;
  } catch (cause) {
    throw new TokenError('signature_invalid', 'the token signature could not be verified', {
      cause,
    });
  }
  if (valid !== true) throw new TokenError('signature_invalid', 'the token signature is invalid');
}
