import { describe, expect, it } from 'vitest';
import { refuse } from '../src/decide/refusal.js';
import {
  CODE_TABLE,
  createResourceServer,
  DECISION_REASONS,
  PRMKIT_ERROR_CODES,
  PrmkitError,
  TokenError,
  UpstreamError,
  type PrmkitErrorCode,
} from '../src/index.js';
import { TOKEN_ERROR_CODES, UPSTREAM_ERROR_CODES } from '../src/model/errors.js';
import { parseWwwAuthenticate } from '../src/index.js';

const RESOURCE = 'https://api.example.com/mcp';
const ctx = { metadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/mcp' };
const codes = Object.keys(CODE_TABLE) as PrmkitErrorCode[];

function errorFor(code: PrmkitErrorCode): PrmkitError {
  return CODE_TABLE[code].family === 'upstream'
    ? new UpstreamError(code as never, `upstream ${code}`)
    : new PrmkitError(code, `refused: ${code}`);
}

describe('CODE_TABLE: one mapping from code to answer', () => {
  it('the code lists are derived from it, in its order', () => {
    expect(PRMKIT_ERROR_CODES).toEqual(codes);
    // A ResourceServerSet's 404 (no resource owns the path) is routing, not a decision.
    expect(DECISION_REASONS).toEqual(
      codes.filter((c) => CODE_TABLE[c].status !== undefined && CODE_TABLE[c].family !== 'routing'),
    );
    expect(UPSTREAM_ERROR_CODES).toEqual(codes.filter((c) => CODE_TABLE[c].status === 503));
    expect([...TOKEN_ERROR_CODES].sort()).toEqual(
      codes.filter((c) => [400, 401].includes(CODE_TABLE[c].status ?? 0)).sort(),
    );
  });

  it('settles token_too_large and a malformed token as 401 invalid_token (RFC 6750 §3.1)', () => {
    expect(CODE_TABLE.token_too_large).toMatchObject({
      status: 401,
      challengeError: 'invalid_token',
    });
    expect(CODE_TABLE.token_malformed).toMatchObject({
      status: 401,
      challengeError: 'invalid_token',
    });
  });

  for (const code of DECISION_REASONS) {
    const rule = CODE_TABLE[code];
    it(`refuse() answers ${code} with ${rule.status} ${rule.challengeError ?? '(no error)'}`, () => {
      const answer = refuse(ctx, errorFor(code), []);
      expect(answer.status).toBe(rule.status);
      expect(answer.error.code).toBe(code);
      if ('jsonRpcError' in rule) {
        // Not an OAuth refusal (MCP SEP-2243): a JSON-RPC error body and no challenge.
        expect(answer.headers['www-authenticate']).toBeUndefined();
        expect(JSON.parse(answer.body)).toMatchObject({
          jsonrpc: '2.0',
          id: null,
          error: { code: rule.jsonRpcError },
        });
        return;
      }
      if (rule.status === 503 || rule.status === 429) {
        expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
        expect(answer.headers['www-authenticate']).toBeUndefined();
        return;
      }
      const [challenge] = parseWwwAuthenticate(answer.headers['www-authenticate'] ?? '');
      expect(challenge?.scheme).toBe('Bearer');
      expect(challenge?.params.resource_metadata).toBe(ctx.metadataUrl);
      // A Bearer challenge never carries a DPoP-only error code (RFC 9449 §7.1).
      const expected =
        rule.challengeError === 'invalid_dpop_proof' || rule.challengeError === 'use_dpop_nonce'
          ? 'invalid_token'
          : rule.challengeError;
      expect(challenge?.params.error).toBe(expected);
      expect(JSON.parse(answer.body).error).toBe(expected ?? 'unauthorized');
    });
  }

  // A verifier judges the token: every 401 and 503 code it throws reaches the client as the
  // table says; any other code becomes verifier_rejected (a verifier cannot make a 400/403/429).
  for (const code of DECISION_REASONS) {
    const rule = CODE_TABLE[code];
    const kept = rule.status === 401 || rule.status === 503;
    it(`a verifier throwing ${code} gives ${kept ? `${rule.status} ${code}` : '401 verifier_rejected'}`, async () => {
      const server = createResourceServer({
        resource: RESOURCE,
        authorizationServers: ['https://as.example.com'],
        verifier: {
          verify: async () => {
            throw errorFor(code);
          },
        },
      });
      const result = await server.authorize({
        method: 'GET',
        url: '/mcp',
        headers: { authorization: 'Bearer abc.def.ghi' },
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(kept ? rule.status : 401);
      expect(result.error.code).toBe(kept ? code : 'verifier_rejected');
    });
  }

  it('extraction: the request shape is a 400, the token a 401', async () => {
    const server = createResourceServer({
      resource: RESOURCE,
      authorizationServers: ['https://as.example.com'],
      verifier: { verify: async () => Promise.reject(new TokenError('signature_invalid', 'x')) },
    });
    const at = (authorization: string | string[]) =>
      server.authorize({ method: 'GET', url: '/mcp', headers: { authorization } });
    const twoHeaders = await at(['Bearer a', 'Bearer b']);
    expect(!twoHeaders.ok && [twoHeaders.status, twoHeaders.error.code]).toEqual([
      400,
      'multiple_authorization_headers',
    ]);
    const badChars = await at('Bearer a<b');
    expect(!badChars.ok && [badChars.status, badChars.error.code]).toEqual([
      401,
      'token_malformed',
    ]);
    const notAScheme = await at('Bear(er abc');
    expect(!notAScheme.ok && [notAScheme.status, notAScheme.error.code]).toEqual([
      400,
      'invalid_request',
    ]);
  });
});
