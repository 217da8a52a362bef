export type { Challenge } from './challenge.js';
export { formatWwwAuthenticate } from './format.js';
export {
  parseWwwAuthenticate,
  MAX_WWW_AUTHENTICATE_LENGTH,
  MAX_CHALLENGES,
  MAX_PARAMS_PER_CHALLENGE,
} from './parse.js';
export { findChallenge } from './find.js';
