export { DEFAULT_DPOP_ALGORITHMS, type DpopMode, type DpopOptions } from './dpop-options.js';
export {
  MAX_DPOP_PROOF_LENGTH,
  type DpopProofExpectations,
  type VerifiedDpopProof,
  verifyDpopProof,
} from './dpop-proof.js';
