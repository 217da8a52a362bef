import { findChallenge, parseWwwAuthenticate } from '@prmkit/core';
import type { AuthorizeResult } from '@prmkit/core';
import { expect } from 'vitest';
import type { AuthCase } from './cases.js';
import type { SuiteFixture } from './fixture.js';
import type { SuiteResponse } from './http.js';
import type { McpHeaderExpectation } from './mcp-header-cases.js';

/**
 * The Bearer challenge parameters of a response's WWW-Authenticate, parsed by the core.
 *
 * @example
 * ```ts
 * expect(bearerChallenge(res)?.error).toBe('invalid_token');
 * ```
 * @see RFC 9110 §11.6.1, RFC 6750 §3
 */
export function bearerChallenge(res: SuiteResponse): Record<string, string> | undefined {
  const header = res.headers.get('www-authenticate');
  if (header === null) return undefined;
  return findChallenge(parseWwwAuthenticate(header), 'Bearer')?.params;
}

/**
 * Asserts that a response is exactly the table's answer for one case.
 *
 * @example
 * ```ts
 * expectOutcome(fx, await send(fx.origin, await row.request(fx)), row.expect);
 * ```
 * @see RFC 6750 §3, RFC 9728 §5.1
 */
export function expectOutcome(
  fx: SuiteFixture,
  res: SuiteResponse,
  expected: AuthCase['expect'],
): void {
  expect(res.status, res.body).toBe(expected.status);
  if (expected.status === 200) {
    const info = JSON.parse(res.body) as Record<string, unknown>;
    expect(info).toMatchObject({
      subject: 'user-123',
      clientId: 'client-abc',
      audience: [fx.resource],
      issuer: fx.issuer.issuer,
    });
    expect([...(info.scopes as string[])].sort()).toEqual([...expected.scopes].sort());
    return;
  }
  const params = bearerChallenge(res);
  expect(params, 'a Bearer challenge').toBeDefined();
  if (!params) return;
  expect(params.resource_metadata).toBe(fx.metadataUrl);
  expect(params.error).toBe(expected.error);
  if (expected.error === undefined) expect(params.error_description).toBeUndefined();
  expect((params.scope ?? '').split(' ').sort()).toEqual([...expected.scope].sort());
  // Nothing beyond the RFC 6750 / RFC 9728 parameters.
  expect(
    Object.keys(params).filter(
      (k) => !['resource_metadata', 'scope', 'error', 'error_description'].includes(k),
    ),
  ).toEqual([]);
  // The challenge must be readable by browser clients (CORS).
  expect(res.headers.get('access-control-expose-headers') ?? '').toMatch(/www-authenticate/i);
}

/**
 * Asserts that the adapter wrote the core's refusal verbatim: same status, every header
 * the core set with the same value, byte-equal body. Equal to the core means equal across adapters.
 *
 * @example
 * ```ts
 * expectVerbatim(res, await referenceAnswer(rs, req));
 * ```
 * @see RFC 6750 §3
 */
export function expectVerbatim(res: SuiteResponse, reference: AuthorizeResult): void {
  if (reference.ok) {
    expect(res.status).toBe(200);
    return;
  }
  expect(res.status).toBe(reference.status);
  for (const [name, value] of Object.entries(reference.headers))
    expect(res.headers.get(name), name).toBe(value);
  expect(res.body).toBe(reference.body);
}

/**
 * The one HTTP-level suite every prmkit adapter runs: metadata routing, every refusal of
 * the shared table, per-tool scopes, decision telemetry, 503 on outages and 429 past the
 * failure limit (see `runTelemetrySuite`), over a real listener.
 *
 * @example
 * ```ts
 * // packages/express/test/suite.test.ts
 * runAdapterSuite('express 5', createExpressHarness(express));
 * ```
 * @see RFC 9728 §3, RFC 6750 §3, MCP 2025-11-25 Authorization
 */

/**
 * Asserts the answer to a request carrying MCP headers (SEP-2243): a 400 is a JSON-RPC
 * error `-32020` with no challenge (not an OAuth refusal); a 401/403 names the scopes;
 * a 200 is the handler's.
 *
 * @example
 * ```ts
 * expectMcpHeaderOutcome(res, { status: 400, jsonRpcCode: -32020, id: 1 });
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation, RFC 6750 §3
 */
export function expectMcpHeaderOutcome(res: SuiteResponse, expected: McpHeaderExpectation): void {
  expect(res.status, res.body).toBe(expected.status);
  if (expected.status === 200) {
    expect((JSON.parse(res.body) as { subject?: unknown }).subject).toBe('user-123');
  } else if (expected.status === 400) {
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      jsonrpc: '2.0',
      id: expected.id,
      error: { code: expected.jsonRpcCode },
    });
  } else {
    const scope = bearerChallenge(res)?.scope ?? '';
    expect(scope.split(' ').sort()).toEqual([...expected.scope].sort());
  }
}
