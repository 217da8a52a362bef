// MCP request headers (SEP-2243, final in MCP 2026-07-28): Mcp-Method / Mcp-Name, the
// Base64 sentinel, and the 400 / -32020 HeaderMismatch answer.
// Spec: modelcontextprotocol docs/specification/2026-07-28/basic/transports/streamable-http.mdx
// §Standard Request Headers, §Value Encoding, §Server Validation.
import { createDpopTestKey, createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRequest, routeRequirement } from '../src/adapter.js';
import type { GuardRequest } from '../src/adapter.js';
import {
  type AuthorizeDecision,
  type AuthorizeResult,
  createResourceServer,
  findChallenge,
  parseWwwAuthenticate,
  type ResourceServerConfig,
} from '../src/index.js';
import {
  decodeMcpHeaderValue,
  MCP_HEADER_MISMATCH,
  mcpHeaderMismatch,
  readMcpHeaders,
} from '../src/adapter.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
const decisions: AuthorizeDecision[] = [];

function config(overrides: Partial<ResourceServerConfig> = {}): ResourceServerConfig {
  return {
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    toolScopes: { admin_stats: ['mcp:admin'] },
    jwt: { jwksUri: issuer.jwksUri },
    httpTimeout: 500,
    onDecision: (d) => decisions.push(d),
    ...overrides,
  };
}

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
});
afterAll(() => issuer.close());

const call = (name: string, id: number | string = 7) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});
const mcp = (method: string, name?: string): Record<string, string> => ({
  'content-type': 'application/json',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...(name === undefined ? {} : { 'mcp-name': name }),
});
const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;

function jsonRpcError(result: AuthorizeResult) {
  if (result.ok) throw new Error('expected a refusal');
  return JSON.parse(result.body) as {
    jsonrpc: string;
    id: unknown;
    error: { code: number; message: string };
  };
}

describe('decodeMcpHeaderValue (§Value Encoding)', () => {
  it('passes plain values through and decodes the spec examples', () => {
    expect(decodeMcpHeaderValue('get_weather')).toBe('get_weather');
    expect(decodeMcpHeaderValue('=?base64?SGVsbG8sIOS4lueVjA==?=')).toBe('Hello, 世界');
    expect(decodeMcpHeaderValue('=?base64?IHBhZGRlZCA=?=')).toBe(' padded ');
    expect(decodeMcpHeaderValue('=?base64?bGluZTEKbGluZTI=?=')).toBe('line1\nline2');
    expect(decodeMcpHeaderValue('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=')).toBe('=?base64?literal?=');
  });

  it('refuses a sentinel whose payload is not canonical Base64 or not UTF-8', () => {
    expect(decodeMcpHeaderValue('=?base64?not base64?=')).toBeUndefined();
    expect(decodeMcpHeaderValue('=?base64?YWJj?=')).toBe('abc');
    expect(decodeMcpHeaderValue('=?base64?YWJ?=')).toBeUndefined(); // missing padding
    expect(decodeMcpHeaderValue('=?base64?YW==?=')).toBe('a');
    expect(decodeMcpHeaderValue('=?base64?/w==?=')).toBeUndefined(); // 0xFF: not UTF-8
  });

  it('the markers are case-sensitive: an upper-case prefix is a plain value', () => {
    expect(decodeMcpHeaderValue('=?BASE64?YWJj?=')).toBe('=?BASE64?YWJj?=');
  });
});

describe('readMcpHeaders', () => {
  it('reads names case-insensitively, from Node objects and Web Headers alike', () => {
    const web = readMcpHeaders(new Headers({ 'Mcp-Method': 'tools/call', 'MCP-NAME': b64('é') }));
    expect(web).toMatchObject({ method: 'tools/call', name: 'é', invalid: undefined });
    const node = readMcpHeaders({ 'Mcp-Method': 'tools/call', 'mcp-name': 'echo' });
    expect(node).toMatchObject({ method: 'tools/call', name: 'echo', invalid: undefined });
  });

  it('a header sent twice or a broken sentinel makes the headers invalid', () => {
    expect(readMcpHeaders({ 'mcp-name': ['echo', 'admin_stats'] }).invalid).toMatch(
      /more than once/,
    );
    expect(readMcpHeaders({ 'mcp-method': ['a', 'b'] }).invalid).toMatch(/more than once/);
    expect(readMcpHeaders({ 'mcp-name': '=?base64?%%%?=' }).invalid).toMatch(/Base64 sentinel/);
  });
});

describe('mcpHeaderMismatch (§Server Validation)', () => {
  const h = (headers: Record<string, string>) => readMcpHeaders(headers);

  it('agrees when the headers mirror the body, after decoding', () => {
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), call('echo'))).toBeUndefined();
    expect(mcpHeaderMismatch(h(mcp('tools/call', b64('tëst'))), call('tëst'))).toBeUndefined();
    const read = { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'file:///a' } };
    expect(mcpHeaderMismatch(h(mcp('resources/read', 'file:///a')), read)).toBeUndefined();
  });

  it('finds a different method, tool, prompt, resource or protocol version', () => {
    expect(mcpHeaderMismatch(h(mcp('tools/list')), call('echo'))).toMatch(/Mcp-Method/);
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), call('admin_stats'))).toMatch(
      /Mcp-Name header value "echo" does not match body value "admin_stats"/,
    );
    const prompt = { jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'b' } };
    expect(mcpHeaderMismatch(h(mcp('prompts/get', 'a')), prompt)).toMatch(/Mcp-Name/);
    const read = { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'file:///b' } };
    expect(mcpHeaderMismatch(h(mcp('resources/read', 'file:///a')), read)).toMatch(/Mcp-Name/);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2025-11-25' };
    const versioned = { ...call('echo'), params: { name: 'echo', _meta: meta } };
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), versioned)).toMatch(
      /MCP-Protocol-Version/,
    );
  });

  it('a header naming a tool the body does not name is a mismatch', () => {
    const nameless = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} };
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), nameless)).toMatch(/no string/);
  });

  it('every request of a batch must agree', () => {
    const batch = [call('echo', 1), call('admin_stats', 2)];
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), batch)).toMatch(/admin_stats/);
  });

  it('nothing to compare: no headers, or no parsed body', () => {
    expect(mcpHeaderMismatch(h({}), call('admin_stats'))).toBeUndefined();
    expect(mcpHeaderMismatch(h(mcp('tools/call', 'echo')), undefined)).toBeUndefined();
  });
});

describe('authorize with a parsed body: the mismatch comes first (Express, NestJS)', () => {
  const post = (headers: Record<string, string>, body: unknown) => ({
    method: 'POST',
    url: '/mcp',
    headers,
    body,
  });

  it('400 -32020 with the request id, no challenge, before the 401 for a missing token', async () => {
    const rs = createResourceServer(config());
    decisions.length = 0;
    const result = await rs.authorize(post(mcp('tools/call', 'echo'), call('admin_stats', 'r-1')));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.error.code).toBe('header_mismatch');
    expect(result.headers['www-authenticate']).toBeUndefined();
    expect(result.headers['content-type']).toBe('application/json');
    const body = jsonRpcError(result);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 'r-1', error: { code: -32020 } });
    expect(MCP_HEADER_MISMATCH).toBe(-32020);
    expect(body.error.message).toMatch(/^Header mismatch: Mcp-Name/);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ ok: false, status: 400, reason: 'header_mismatch' });
  });

  it('400 before the 403 a token without mcp:admin would get', async () => {
    const rs = createResourceServer(config());
    const result = await rs.authorize({
      ...post(mcp('tools/call', 'echo'), call('admin_stats')),
      headers: { ...mcp('tools/call', 'echo'), authorization: `Bearer ${await issuer.mint()}` },
    });
    expect(!result.ok && result.status).toBe(400);
  });

  it('headers that agree change nothing: 403 for admin_stats, 200 for echo', async () => {
    const rs = createResourceServer(config());
    const auth = { authorization: `Bearer ${await issuer.mint()}` };
    const admin = await rs.authorize(
      post({ ...mcp('tools/call', 'admin_stats'), ...auth }, call('admin_stats')),
    );
    expect(!admin.ok && admin.status).toBe(403);
    const echo = await rs.authorize(post({ ...mcp('tools/call', 'echo'), ...auth }, call('echo')));
    expect(echo.ok).toBe(true);
  });

  it('an invalid sentinel is refused even when the body has no name to compare', async () => {
    const rs = createResourceServer(config());
    const result = await rs.authorize(
      post(mcp('tools/list', '=?base64?***?='), { jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    );
    expect(!result.ok && result.status).toBe(400);
    expect(jsonRpcError(result).id).toBeNull(); // as on adapters that never read the body
  });

  it('without tool rules the body is not the decision’s business: no comparison', async () => {
    const rs = createResourceServer(config({ toolScopes: undefined }));
    const result = await rs.authorize(post(mcp('tools/call', 'echo'), call('admin_stats')));
    expect(!result.ok && result.status).toBe(401);
  });
});

describe('guardRequest: the headers decide, the body is still checked before the handler', () => {
  /** A POST whose body is a stream, counting how often the guard asks for it. */
  function request(headers: Record<string, string>, body: string) {
    let reads = 0;
    const req: GuardRequest = {
      method: 'POST',
      url: '/mcp',
      headers,
      unreadBody: () => (reads++, new Blob([body]).stream()),
    };
    return { req, reads: () => reads };
  }
  const none = routeRequirement(undefined, 't');
  const withToken = async (headers: Record<string, string>, scope = 'mcp:tools') => ({
    ...headers,
    authorization: `Bearer ${await issuer.mint({ scope })}`,
  });

  it('no token: the 401 goes out without reading the body, scope from Mcp-Name', async () => {
    const rs = createResourceServer(config());
    const { req, reads } = request(
      mcp('tools/call', 'admin_stats'),
      JSON.stringify(call('admin_stats')),
    );
    const result = await guardRequest(rs, req, none);
    expect(!result.ok && result.answer.status).toBe(401);
    expect(!result.ok && result.answer.headers['www-authenticate']).toMatch(
      /scope="mcp:tools mcp:admin"/,
    );
    expect(result.body.read).toBe(false);
    expect(reads()).toBe(0);
  });

  it('Mcp-Name names admin_stats, token lacks mcp:admin: 403 without reading the body', async () => {
    const rs = createResourceServer(config());
    const headers = await withToken(mcp('tools/call', 'admin_stats'));
    const { req, reads } = request(headers, JSON.stringify(call('admin_stats')));
    const result = await guardRequest(rs, req, none);
    expect(!result.ok && result.answer.status).toBe(403);
    expect(reads()).toBe(0);
  });

  it('header names echo, body calls admin_stats: 400 -32020 after reading, never admitted', async () => {
    const rs = createResourceServer(config());
    decisions.length = 0;
    const headers = await withToken(mcp('tools/call', 'echo'));
    const { req, reads } = request(headers, JSON.stringify(call('admin_stats', 9)));
    const result = await guardRequest(rs, req, none);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.answer.status).toBe(400);
    expect(jsonRpcError(result.answer)).toMatchObject({ id: 9, error: { code: -32020 } });
    expect(reads()).toBe(1);
    expect(decisions.map((d) => d.reason)).toEqual(['header_mismatch']); // one event
  });

  it('headers and body agree: admitted once, the read body handed on for replay', async () => {
    const rs = createResourceServer(config());
    decisions.length = 0;
    const headers = await withToken(mcp('tools/call', 'echo'));
    const { req } = request(headers, JSON.stringify(call('echo')));
    const result = await guardRequest(rs, req, none);
    expect(result.ok).toBe(true);
    expect(result.body.read && result.body.json).toEqual({ ok: true, value: call('echo') });
    expect(decisions.map((d) => d.ok)).toEqual([true]);
  });

  it('an unreadable body behind agreeing headers needs every tool scope (fail closed)', async () => {
    const rs = createResourceServer(config());
    const headers = await withToken(mcp('tools/call', 'echo'));
    const { req } = request(
      headers,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"',
    );
    const result = await guardRequest(rs, req, none);
    expect(!result.ok && result.answer.status).toBe(403);
    const big = request(headers, JSON.stringify({ ...call('echo'), pad: 'x'.repeat(2048) }));
    const tooLarge = await guardRequest(rs, { ...big.req, bodyLimit: 1024 }, none);
    expect(!tooLarge.ok && tooLarge.answer.status).toBe(403);
  });

  it('a non-JSON-RPC body behind agreeing headers needs every tool scope', async () => {
    const rs = createResourceServer(config());
    const headers = await withToken(mcp('tools/call', 'echo'));
    const body = JSON.stringify({ id: 1, method: 'tools/call', params: { name: 'echo' } });
    const result = await guardRequest(rs, request(headers, body).req, none);
    expect(!result.ok && result.answer.status).toBe(403);
  });

  it('an invalid sentinel: 400 -32020 at once, body unread', async () => {
    const rs = createResourceServer(config());
    const { req, reads } = request(await withToken(mcp('tools/call', '=?base64?@@?=')), '{}');
    const result = await guardRequest(rs, req, none);
    expect(!result.ok && result.answer.status).toBe(400);
    expect(!result.ok && jsonRpcError(result.answer)).toMatchObject({
      id: null,
      error: { code: -32020 },
    });
    expect(reads()).toBe(0);
  });

  it('tools/call without Mcp-Name, or a scopesForMessage hook: the body decides', async () => {
    const noName = request(mcp('tools/call'), JSON.stringify(call('admin_stats')));
    const r1 = await guardRequest(createResourceServer(config()), noName.req, none);
    expect(noName.reads()).toBe(1);
    expect(!r1.ok && r1.answer.status).toBe(401);
    const hooked = createResourceServer(config({ scopesForMessage: () => undefined }));
    const withHook = request(mcp('tools/call', 'echo'), JSON.stringify(call('admin_stats')));
    const r2 = await guardRequest(hooked, withHook.req, none);
    expect(withHook.reads()).toBe(1);
    expect(!r2.ok && r2.answer.status).toBe(400); // read, compared, refused first
  });

  it('a parsed body (Express) is compared before anything else', async () => {
    const rs = createResourceServer(config());
    const result = await guardRequest(
      rs,
      {
        method: 'POST',
        url: '/mcp',
        headers: mcp('tools/call', 'echo'),
        parsedBody: call('admin_stats'),
      },
      none,
    );
    expect(!result.ok && result.answer.status).toBe(400);
  });

  it('DPoP: a body needing more than the header said is refused in the DPoP scheme', async () => {
    const rs = createResourceServer(config({ dpop: { mode: 'allowed' } }));
    const key = await createDpopTestKey('ES256');
    const token = await issuer.mint({ cnf: { jkt: key.jkt } });
    const proof = await key.proof({ method: 'POST', url: RESOURCE, accessToken: token });
    const headers = { ...mcp('tools/call', 'echo'), authorization: `DPoP ${token}`, dpop: proof };
    // Agrees with the headers (method, name) but is no JSON-RPC 2.0 message: every tool scope.
    const body = JSON.stringify({ id: 1, method: 'tools/call', params: { name: 'echo' } });
    const result = await guardRequest(rs, request(headers, body).req, none);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.answer.status).toBe(403);
    const dpop = findChallenge(
      parseWwwAuthenticate(result.answer.headers['www-authenticate'] ?? ''),
      'DPoP',
    );
    expect(dpop?.params.error).toBe('insufficient_scope');
  });
});
