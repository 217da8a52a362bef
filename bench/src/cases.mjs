/**
 * @typedef {object} BenchCase
 * @property {string} id
 * @property {'express' | 'fastify' | 'hono'} framework
 * @property {string} variant      the server built by apps/<framework>.mjs
 * @property {string} label        the row name in BENCHMARKS.md
 * @property {'reused' | 'rotating'} tokens
 * @property {string} path
 * @property {string} [baseline]   id of the case this one is a ratio of
 */

export const FRAMEWORKS = /** @type {const} */ (['express', 'fastify', 'hono']);
export const METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

/** @returns {BenchCase[]} */
export function allCases() {
  /** @type {BenchCase[]} */
  const cases = [];
  for (const framework of FRAMEWORKS) {
    const none = `${framework}/a-none`;
    const add = (key, variant, label, tokens, path = '/mcp', baseline = none) =>
      cases.push({ id: `${framework}/${key}`, framework, variant, label, tokens, path, baseline });
    add('a-none', 'none', '(a) no auth', 'reused', '/mcp', undefined);
    add('a-noop', 'noop', "(a') a no-op middleware: the floor for any guard", 'reused');
    add('b-prmkit-reused', 'prmkit', '(b) prmkit, one reused token', 'reused');
    add('c-prmkit-new', 'prmkit-miss', '(c) prmkit, new token every request', 'rotating');
    add('d-jose-reused', 'jose', '(d) hand-written jose, one reused token', 'reused');
    add('d-jose-new', 'jose', '(d) hand-written jose, new token every request', 'rotating');
    if (framework === 'express') {
      add('e-auth0', 'auth0', '(e) express-oauth2-jwt-bearer, one reused token', 'reused');
      add('e-mcp-auth', 'mcp-auth', '(e) mcp-auth, one reused token', 'reused');
    }
    add('m-static', 'static', 'static JSON route', 'reused', '/static-metadata', undefined);
    add(
      'm-static-headers',
      'static-headers',
      'static JSON route with the metadata headers',
      'reused',
      '/static-metadata',
      undefined,
    );
    add(
      'm-metadata',
      'metadata',
      'prmkit metadata endpoint',
      'reused',
      METADATA_PATH,
      `${framework}/m-static`,
    );
  }
  return cases;
}
