export type { Challenge } from './challenge.js';
export { formatWwwAuthenticate } from './format.js';
export { parseWwwAuthenticate } from './parse.js';
export { findChallenge } from './find.js';
