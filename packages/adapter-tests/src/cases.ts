import type { SuiteRequest } from './http.js';
import type { SuiteFixture } from './fixture.js';

/** What a refused request must look like; `undefined` members must be absent from the challenge. */
export interface ExpectedRefusal {
  readonly status: 400 | 401 | 403;
  /** RFC 6750 §3.1 `error`; `undefined` when none may be sent (no credentials). */
  readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
  /** Scopes the `scope` parameter must name (any order). */
  readonly scope: readonly string[];
}

/** One row of the shared table: a request and the one answer every adapter must give. */
export interface AuthCase {
  readonly name: string;
  request(fx: SuiteFixture): Promise<SuiteRequest>;
  /** A refusal, or `200` with the auth info of the token. */
  readonly expect: ExpectedRefusal | { readonly status: 200; readonly scopes: readonly string[] };
}

const now = (): number => Math.floor(Date.now() / 1000);
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const toolsCall = (name: string, id = 1): Record<string, unknown> => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});
const postJson = (
  headers: Record<string, string>,
  body: unknown,
  contentType = 'application/json',
): SuiteRequest => ({
  method: 'POST',
  path: '/mcp',
  headers: {
    ...headers,
    'content-type': contentType,
    accept: 'application/json, text/event-stream',
  },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const TOOLS = 'mcp:tools';
const ADMIN = 'mcp:admin';
const invalidToken: ExpectedRefusal = { status: 401, error: 'invalid_token', scope: [TOOLS] };
const invalidRequest: ExpectedRefusal = { status: 400, error: 'invalid_request', scope: [TOOLS] };
const noCredentials: ExpectedRefusal = { status: 401, error: undefined, scope: [TOOLS] };

/**
 * The table every adapter must answer identically: same status, same challenge.
 *
 * @example
 * ```ts
 * for (const c of AUTH_CASES) it(c.name, async () => check(await send(fx.origin, await c.request(fx)), c.expect));
 * ```
 * @see RFC 6750 §3.1, RFC 9728 §5.1, MCP 2025-11-25 Authorization
 */
export const AUTH_CASES: readonly AuthCase[] = [
  {
    name: 'no token: 401 without error code',
    request: async () => ({ path: '/mcp' }),
    expect: noCredentials,
  },
  {
    name: 'no token on POST: 401 without error code',
    request: async () => postJson({}, toolsCall('echo')),
    expect: noCredentials,
  },
  {
    name: 'good token: 200 with the auth info',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint()) }),
    expect: { status: 200, scopes: [TOOLS] },
  },
  {
    name: 'bad signature: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { key: 'other' })) }),
    expect: invalidToken,
  },
  {
    name: 'tampered payload: 401 invalid_token',
    request: async (fx) => {
      const [h, , s] = (await fx.mint()).split('.');
      const payload = Buffer.from(
        JSON.stringify({
          iss: fx.issuer.issuer,
          aud: fx.resource,
          sub: 'admin',
          scope: `${TOOLS} ${ADMIN}`,
          exp: now() + 600,
        }),
      ).toString('base64url');
      return { path: '/mcp', headers: bearer(`${h}.${payload}.${s}`) };
    },
    expect: invalidToken,
  },
  {
    name: 'expired token: 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ iat: now() - 7200, exp: now() - 3600 })),
    }),
    expect: invalidToken,
  },
  {
    name: 'wrong issuer: 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ iss: 'http://127.0.0.1:9/not-the-issuer' })),
    }),
    expect: invalidToken,
  },
  {
    name: 'wrong audience: 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ aud: 'https://other.example/mcp' })),
    }),
    expect: invalidToken,
  },
  {
    name: "sibling resource's audience: 401 invalid_token",
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ aud: `${fx.origin}/other-mcp` })),
    }),
    expect: invalidToken,
  },
  {
    name: 'audience with an extra path segment: 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ aud: `${fx.resource}/sub` })),
    }),
    expect: invalidToken,
  },
  {
    name: 'no audience: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({ aud: undefined })) }),
    expect: invalidToken,
  },
  {
    name: 'no exp: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({ exp: undefined })) }),
    expect: invalidToken,
  },
  // RFC 9068 §2.2: sub, client_id and iat are REQUIRED; azp does not stand in for client_id.
  {
    name: 'no sub: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({ sub: undefined })) }),
    expect: invalidToken,
  },
  {
    name: 'no client_id (azp only): 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ client_id: undefined, azp: 'client-abc' })),
    }),
    expect: invalidToken,
  },
  {
    name: 'no iat: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({ iat: undefined })) }),
    expect: invalidToken,
  },
  {
    name: 'alg none: 401 invalid_token',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { alg: 'none' })) }),
    expect: invalidToken,
  },
  {
    name: 'HS256 signed with the RSA public key: 401 invalid_token',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mintWithPublicKeyAsSecret()),
    }),
    expect: invalidToken,
  },
  {
    name: 'garbage token: 401 invalid_token',
    request: async () => ({ path: '/mcp', headers: bearer('not.a.jwt') }),
    expect: invalidToken,
  },
  {
    name: 'two Authorization headers: 400 invalid_request',
    request: async (fx) => ({
      path: '/mcp',
      headers: { authorization: [`Bearer ${await fx.mint()}`, `Bearer ${await fx.mint()}`] },
    }),
    expect: invalidRequest,
  },
  {
    name: 'another scheme (Basic): 401 without error code, so the client discovers',
    request: async () => ({ path: '/mcp', headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
    expect: noCredentials,
  },
  {
    name: 'empty Bearer credentials: 401 invalid_token (a malformed token, RFC 6750 §3.1)',
    request: async () => ({ path: '/mcp', headers: { authorization: 'Bearer' } }),
    expect: invalidToken,
  },
  {
    name: 'Bearer with two tokens: 401 invalid_token (not a b64token, RFC 6750 §2.1)',
    request: async (fx) => ({
      path: '/mcp',
      headers: { authorization: `Bearer ${await fx.mint()} extra` },
    }),
    expect: invalidToken,
  },
  {
    name: 'an Authorization header that is not `scheme SP credentials`: 400 invalid_request',
    request: async () => ({ path: '/mcp', headers: { authorization: 'Bearer\tabc' } }),
    expect: invalidRequest,
  },
  {
    name: 'token in the query: refused, never accepted',
    request: async (fx) => ({ path: `/mcp?access_token=${await fx.mint()}` }),
    expect: invalidRequest,
  },
  {
    name: 'missing endpoint scope: 403 insufficient_scope naming it',
    request: async (fx) => ({ path: '/mcp/admin', headers: bearer(await fx.mint()) }),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'missing required scope: 403 insufficient_scope',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ scope: 'unrelated' })),
    }),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS] },
  },
  {
    name: 'endpoint scope granted: 200',
    request: async (fx) => ({
      path: '/mcp/admin',
      headers: bearer(await fx.mint({ scope: `${TOOLS} ${ADMIN}` })),
    }),
    expect: { status: 200, scopes: [TOOLS, ADMIN] },
  },
  {
    name: 'tools/call of a tool without extra scopes: 200 (the body reached the core parsed)',
    request: async (fx) => postJson(bearer(await fx.mint()), toolsCall('echo')),
    expect: { status: 200, scopes: [TOOLS] },
  },
  {
    name: 'tools/call admin_stats without mcp:admin: 403 insufficient_scope',
    request: async (fx) => postJson(bearer(await fx.mint()), toolsCall('admin_stats')),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'tools/call admin_stats with application/json; charset=utf-8: 403',
    request: async (fx) =>
      postJson(
        bearer(await fx.mint()),
        toolsCall('admin_stats'),
        'application/json; charset=utf-8',
      ),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'admin_stats inside a JSON-RPC batch: 403 insufficient_scope',
    request: async (fx) =>
      postJson(bearer(await fx.mint()), [
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        toolsCall('admin_stats', 2),
      ]),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'malformed JSON body: 403 (fail closed, never a bypass)',
    request: async (fx) =>
      postJson(
        bearer(await fx.mint()),
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"admin_stats"',
      ),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'tools/call sent as text/plain: 403 (fail closed, never a bypass)',
    request: async (fx) =>
      postJson(bearer(await fx.mint()), toolsCall('admin_stats'), 'text/plain'),
    expect: { status: 403, error: 'insufficient_scope', scope: [TOOLS, ADMIN] },
  },
  {
    name: 'tools/call admin_stats with mcp:admin: 200',
    request: async (fx) =>
      postJson(bearer(await fx.mint({ scope: `${TOOLS} ${ADMIN}` })), toolsCall('admin_stats')),
    expect: { status: 200, scopes: [TOOLS, ADMIN] },
  },
];
