/**
 * @typedef {object} BenchCase
 * @property {string} id
 * @property {'express' | 'fastify' | 'hono' | 'nestjs'} framework
 * @property {string} variant      the server built by apps/<framework>.mjs
 * @property {'node' | 'node-pool' | 'webcrypto'} backend   prmkit's signature backend
 * @property {'RS256' | 'ES256'} alg
 * @property {string} label        the row name in BENCHMARKS.md
 * @property {'reused' | 'rotating'} tokens
 * @property {string} path
 * @property {'get' | 'mcp-headers' | 'mcp-body'} request   what each request is (see load.mjs)
 */

/**
 * A ratio of two cases, computed within each round from measurements seconds apart, then
 * summarised by its median and spread over the rounds.
 * @typedef {object} BenchRatio
 * @property {string} id
 * @property {string} label
 * @property {string} num   case id
 * @property {string} den   case id
 * @property {number} [goal]   target: the median must be ≥ goal
 */

export const FRAMEWORKS = /** @type {const} */ (['express', 'fastify', 'hono', 'nestjs']);
/** Frameworks that run every case; NestJS runs the core set (no ES256, no Web Crypto rows). */
const FULL = new Set(['express', 'fastify', 'hono']);
export const METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

/**
 * Every HTTP case, in the order one round runs them: the two sides of each ratio sit next
 * to each other (a round alternates its direction), so no ratio pairs runs far apart.
 * @returns {BenchCase[]}
 */
export function allCases() {
  /** @type {BenchCase[]} */
  const cases = [];
  for (const framework of FRAMEWORKS) {
    const add = (key, variant, label, tokens, o = {}) =>
      cases.push({
        id: `${framework}/${key}`,
        framework,
        variant,
        label,
        tokens,
        path: o.path ?? '/mcp',
        request: o.request ?? 'get',
        backend: o.backend ?? 'node',
        alg: o.alg ?? 'RS256',
      });
    add('a-none', 'none', '(a) no auth', 'reused');
    add('b-prmkit-reused', 'prmkit', '(b) prmkit, one reused token', 'reused');
    add('a-noop', 'noop', "(a') a no-op middleware: the floor for any guard", 'reused');
    if (framework === 'express') {
      add(
        'e-sdk-reused',
        'sdk',
        '(e) MCP SDK v2 requireBearerAuth + jose, one reused token',
        'reused',
      );
      add('e-auth0', 'auth0', '(e) express-oauth2-jwt-bearer, one reused token', 'reused');
      add('e-mcp-auth', 'mcp-auth', '(e) mcp-auth, one reused token', 'reused');
    }
    add('d-jose-reused', 'jose', '(d) hand-written jose, one reused token', 'reused');
    add(
      'f-minimal-new',
      'minimal',
      '(f) minimal node:crypto check, new token every request, RS256: the floor',
      'rotating',
    );
    add('c-prmkit-new', 'prmkit-miss', '(c) prmkit, new token every request, RS256', 'rotating');
    add('d-jose-new', 'jose', '(d) hand-written jose, new token every request, RS256', 'rotating');
    if (framework === 'express') {
      add(
        'e-sdk-new',
        'sdk',
        '(e) MCP SDK v2 requireBearerAuth + jose, new token every request',
        'rotating',
      );
    }
    if (FULL.has(framework)) {
      add(
        'c-prmkit-new-webcrypto',
        'prmkit-miss',
        '(c) prmkit with the Web Crypto backend, new token every request, RS256',
        'rotating',
        { backend: 'webcrypto' },
      );
      add(
        'c-prmkit-new-pool',
        'prmkit-miss',
        '(c) prmkit with node:crypto on the thread pool, new token every request, RS256',
        'rotating',
        { backend: 'node-pool' },
      );
      add(
        'c-prmkit-new-es256',
        'prmkit-miss',
        '(c) prmkit, new token every request, ES256',
        'rotating',
        { alg: 'ES256' },
      );
      add(
        'c-prmkit-new-es256-pool',
        'prmkit-miss',
        '(c) prmkit with node:crypto on the thread pool, new token every request, ES256',
        'rotating',
        { alg: 'ES256', backend: 'node-pool' },
      );
      add(
        'f-minimal-new-es256',
        'minimal',
        '(f) minimal node:crypto check, new token every request, ES256: the floor',
        'rotating',
        { alg: 'ES256' },
      );
      add(
        'd-jose-new-es256',
        'jose',
        '(d) hand-written jose, new token every request, ES256',
        'rotating',
        { alg: 'ES256' },
      );
    }
    if (FULL.has(framework)) {
      // The MCP request shape: POST tools/call, ~1 KB body. prmkit with a tool rule decides
      // from Mcp-Name (and still checks the body before the handler) or, without the
      // SEP-2243 headers, from the body. Every handler parses the body.
      add(
        'k-mcp-none',
        'mcp-none',
        'MCP tools/call (~1 KB) with Mcp-* headers: no auth',
        'reused',
        {
          request: 'mcp-headers',
        },
      );
      add(
        'k-mcp-prmkit-headers',
        'mcp-prmkit',
        'MCP tools/call (~1 KB), prmkit with toolScopes, Mcp-Name header path',
        'reused',
        { request: 'mcp-headers' },
      );
      add(
        'k-mcp-prmkit-body',
        'mcp-prmkit',
        'MCP tools/call (~1 KB), prmkit with toolScopes, no Mcp-* headers: body path',
        'reused',
        { request: 'mcp-body' },
      );
    }
    add(
      'm-static-headers',
      'static-headers',
      'static JSON route with the metadata headers',
      'reused',
      {
        path: '/static-metadata',
      },
    );
    add('m-metadata', 'metadata', 'prmkit metadata endpoint', 'reused', { path: METADATA_PATH });
    add('m-static', 'static', 'static JSON route (Content-Type only)', 'reused', {
      path: '/static-metadata',
    });
  }
  return cases;
}

/** @returns {BenchRatio[]} */
export function allRatios() {
  /** @type {BenchRatio[]} */
  const ratios = [];
  const goals = {
    reused: { express: 0.95, fastify: 0.92, hono: 0.92 },
    newToken: { express: 1.3, fastify: 2, hono: 2 },
  };
  for (const fw of FRAMEWORKS) {
    const r = (key, label, num, den, goal) =>
      ratios.push({
        id: `${fw}/${key}`,
        label: `${fw}: ${label}`,
        num: `${fw}/${num}`,
        den: `${fw}/${den}`,
        goal,
      });
    r('reused', '(b) reused token / (a) no auth', 'b-prmkit-reused', 'a-none', goals.reused[fw]);
    r('noop', "(a') no-op middleware / (a) no auth", 'a-noop', 'a-none');
    r(
      'new-rs',
      '(c) / (d) jose, new token, RS256',
      'c-prmkit-new',
      'd-jose-new',
      goals.newToken[fw],
    );
    r('floor-rs', '(c) / (f) minimal node:crypto check, RS256', 'c-prmkit-new', 'f-minimal-new');
    r(
      'floor-vs-jose',
      '(f) minimal node:crypto / (d) jose, RS256: the ceiling',
      'f-minimal-new',
      'd-jose-new',
    );
    if (FULL.has(fw)) {
      r(
        'floor-es',
        '(c) / (f) minimal node:crypto check, ES256',
        'c-prmkit-new-es256',
        'f-minimal-new-es256',
      );
      r('new-es', '(c) / (d) jose, new token, ES256', 'c-prmkit-new-es256', 'd-jose-new-es256');
      r(
        'new-rs-pool',
        '(c) thread pool / (d) jose, new token, RS256',
        'c-prmkit-new-pool',
        'd-jose-new',
      );
      r(
        'new-es-pool',
        '(c) thread pool / (d) jose, new token, ES256',
        'c-prmkit-new-es256-pool',
        'd-jose-new-es256',
      );
      r(
        'new-web',
        '(c) Web Crypto backend / (d) jose, RS256',
        'c-prmkit-new-webcrypto',
        'd-jose-new',
      );
    }
    if (FULL.has(fw)) {
      r(
        'mcp-headers',
        'MCP tools/call: prmkit header path / no auth',
        'k-mcp-prmkit-headers',
        'k-mcp-none',
      );
      r(
        'mcp-body',
        'MCP tools/call: prmkit body path / no auth',
        'k-mcp-prmkit-body',
        'k-mcp-none',
      );
      r(
        'mcp-headers-vs-body',
        'MCP tools/call: prmkit header path / body path',
        'k-mcp-prmkit-headers',
        'k-mcp-prmkit-body',
      );
    }
    r(
      'metadata',
      'metadata / static route with the same headers',
      'm-metadata',
      'm-static-headers',
      0.95,
    );
    r('metadata-bare', 'metadata / static route with Content-Type only', 'm-metadata', 'm-static');
    if (fw === 'express') {
      r('sdk-new', '(c) / MCP SDK v2 + jose, new token', 'c-prmkit-new', 'e-sdk-new');
      r('sdk-reused', '(b) / MCP SDK v2 + jose, reused token', 'b-prmkit-reused', 'e-sdk-reused');
      r('auth0', '(b) / express-oauth2-jwt-bearer, reused token', 'b-prmkit-reused', 'e-auth0');
      r('mcp-auth', '(b) / mcp-auth, reused token', 'b-prmkit-reused', 'e-mcp-auth');
    }
  }
  return ratios;
}
