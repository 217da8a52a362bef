import { findChallenge, parseWwwAuthenticate } from '@prmkit/core';
import { extraRequest } from '../extra-request.js';
import { INITIALIZE, mcpPostHeaders } from '../mcp-initialize.js';
import type { Recorder } from '../recorder.js';
import type { Check, StepReport } from '../types.js';
import { fail, pass, quote, skip } from './check.js';
import { serverReason } from './server-reason.js';

export interface TokenCallInput {
  readonly serverUrl: URL;
  readonly token: string | undefined;
  /** Set when the server URL may not carry a token (not https, not allowed loopback). */
  readonly refusedBecause: string | undefined;
  readonly recorder: Recorder;
  readonly timeoutMs: number;
}

/**
 * Makes one real call with the token (an MCP `initialize` POST, as a client's first
 * request) and checks that it is accepted (right audience, issuer, lifetime) and that an
 * `insufficient_scope` refusal says which `scope` to request. The token goes to the server
 * URL only, never to a URL taken from metadata.
 *
 * @see RFC 6750 §3.1; RFC 8707 §2; RFC 9068 §4; MCP 2025-11-25 authorization (scope challenge handling)
 */
export async function checkTokenCall(input: TokenCallInput): Promise<StepReport> {
  const checks: Check[] = [];
  const step: StepReport = {
    id: 'token_call',
    title: 'Call with the token',
    subject: input.serverUrl.href,
    checks,
  };
  if (input.token === undefined) {
    checks.push(skip('token_call.accepted', 'no --token given', 'RFC 6750 §2.1'));
    return step;
  }
  if (input.refusedBecause) {
    checks.push(
      skip('token_call.accepted', `token not sent: ${input.refusedBecause}`, 'RFC 6750 §5.3'),
    );
    return step;
  }
  const ex = await extraRequest(
    input.recorder,
    input.serverUrl.href,
    {
      method: 'POST',
      headers: mcpPostHeaders(input.token),
      body: INITIALIZE,
    },
    input.timeoutMs,
  );
  if (ex.status === undefined) {
    checks.push(
      fail(
        'token_call.accepted',
        `no response to the call with the token (${ex.error ?? 'no answer'})`,
        'RFC 6750 §2.1',
      ),
    );
    return step;
  }
  const bearer = findChallenge(
    parseWwwAuthenticate(ex.headers?.get('www-authenticate') ?? null),
    'Bearer',
  );
  const { error, description } = serverReason(bearer?.params, ex.body);
  const said = error
    ? `; the server's reason: error=${quote(error)}${description ? ` (${quote(description)})` : ''}`
    : '';
  const retryAfter = ex.headers?.get('retry-after');
  const retry = retryAfter ? `, Retry-After ${quote(retryAfter)}` : '';

  if (ex.status === 503 || ex.status === 429) {
    checks.push(
      fail(
        'token_call.accepted',
        ex.status === 503
          ? `the server could not check the token (503${retry})${said}: its authorization server or keys are unreachable, not the token's fault; keep the token and retry later`
          : `the server is limiting refused requests (429${retry})${said}; wait and retry`,
        ex.status === 503 ? 'RFC 9110 §15.6.4' : 'RFC 6585 §4',
      ),
    );
  } else if (ex.status === 401 || error === 'invalid_token') {
    checks.push(
      fail(
        'token_call.accepted',
        `the token is refused with ${ex.status}${said}; check its audience (aud = this URL), issuer and expiry`,
        'RFC 6750 §3.1; RFC 8707 §2; RFC 9068 §4',
      ),
    );
  } else {
    checks.push(
      pass(
        'token_call.accepted',
        `the token is accepted (answered ${ex.status}${ex.status === 403 ? ', authenticated but not allowed' : ''})`,
        'RFC 9068 §4; RFC 8707 §2',
      ),
    );
  }

  const spec = 'RFC 6750 §3.1; MCP 2025-11-25 authorization (scope challenge handling)';
  if (ex.status !== 403) {
    checks.push(
      skip(
        'token_call.insufficient_scope',
        `no 403 to check (answered ${ex.status}); use a token lacking a scope to check step-up`,
        spec,
      ),
    );
  } else if (error !== 'insufficient_scope') {
    checks.push(
      fail(
        'token_call.insufficient_scope',
        `403 without a Bearer error="insufficient_scope" challenge: clients cannot tell what to request`,
        spec,
      ),
    );
  } else if (!bearer?.params['scope']) {
    checks.push(
      fail(
        'token_call.insufficient_scope',
        'insufficient_scope challenge without scope: clients cannot step up',
        spec,
      ),
    );
  } else {
    checks.push(
      pass(
        'token_call.insufficient_scope',
        `insufficient_scope challenge carries scope=${quote(bearer.params['scope'])}`,
        spec,
      ),
    );
  }
  return step;
}
