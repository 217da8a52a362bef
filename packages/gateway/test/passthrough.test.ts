import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { startTokenEndpointStandIn } from '@prmkit/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, createTokenExchanger, GatewayError } from '@prmkit/gateway';
import {
  FILES,
  GATEWAY,
  inboundAuth,
  recordingUpstream,
  type RecordingUpstream,
  startExchangeAs,
  verifyDownstream,
} from './support.js';

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError))
    throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('passthrough guard: the inbound token never leaves', () => {
  let as: RunningAuthorizationServer;
  let upstream: RecordingUpstream;
  beforeAll(async () => {
    as = await startExchangeAs();
    upstream = await recordingUpstream();
  });
  afterAll(async () => {
    await upstream.close();
    await as.close();
  });

  const gatewayFor = (upstreamUrl: string) =>
    createGateway({
      exchanger: createTokenExchanger({
        issuer: as.issuer,
        client: { method: 'client_secret_basic', ...GATEWAY },
      }),
      targets: [{ name: 'files', upstream: upstreamUrl, resource: FILES, scopes: ['mcp:tools'] }],
    });

  it('strips the inbound Authorization and sends only the exchanged token', async () => {
    const auth = await inboundAuth(as);
    const call = gatewayFor(`${upstream.url}/mcp`).fetchFor(auth, 'files');
    const response = await call(`${upstream.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${auth.token}`,
        'content-type': 'application/json',
        'x-trace': 't1',
        cookie: 'gateway_session=s3cret',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(response.status).toBe(200);
    const seen = upstream.seen.at(-1);
    expect(seen?.headers['x-trace']).toBe('t1');
    expect(seen?.headers['cookie']).toBeUndefined();
    expect(seen?.body).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    const sent = String(seen?.headers['authorization']).replace(/^Bearer /, '');
    expect(sent).not.toBe(auth.token);
    expect(JSON.stringify(upstream.seen)).not.toContain(auth.token);
    const claims = await verifyDownstream(as, sent, FILES);
    expect(claims.act).toEqual({ sub: GATEWAY.clientId });
  });

  it('refuses a request that carries the inbound token in another header, and sends nothing', async () => {
    const auth = await inboundAuth(as);
    const before = upstream.seen.length;
    const call = gatewayFor(`${upstream.url}/mcp`).fetchFor(auth, 'files');
    const error = await rejection(
      call(`${upstream.url}/mcp`, {
        headers: { 'x-forwarded-authorization': `Bearer ${auth.token}` },
      }),
    );
    expect(error.code).toBe('passthrough_refused');
    expect(error.message).not.toContain(auth.token);
    // Percent-encoded, next to a malformed escape: still found, no crash.
    const malformed = await rejection(
      call(
        `${upstream.url}/mcp?x=%E0%A4%A&t=%${auth.token.charCodeAt(0).toString(16)}${auth.token.slice(1)}`,
      ),
    );
    expect(malformed.code).toBe('passthrough_refused');
    const inQuery = await rejection(
      call(`${upstream.url}/mcp?access_token=${encodeURIComponent(auth.token)}`),
    );
    expect(inQuery.code).toBe('passthrough_refused');
    expect(upstream.seen.length).toBe(before);
  });

  it('refuses URLs outside the target upstream', async () => {
    const auth = await inboundAuth(as);
    const call = gatewayFor(`${upstream.url}/mcp`).fetchFor(auth, 'files');
    const before = upstream.seen.length;
    expect((await rejection(call(`${upstream.url}/admin`))).code).toBe('passthrough_refused');
    expect((await rejection(call(`${upstream.url}/mcpx`))).code).toBe('passthrough_refused');
    expect((await rejection(call('http://127.0.0.2:9/mcp'))).code).toBe('passthrough_refused');
    expect(upstream.seen.length).toBe(before);
  });

  it('does not follow a redirect with the token', async () => {
    const redirecting = await recordingUpstream((res) =>
      res.writeHead(307, { location: `${upstream.url}/mcp` }).end(),
    );
    try {
      const auth = await inboundAuth(as);
      const before = upstream.seen.length;
      const response = await gatewayFor(`${redirecting.url}/mcp`).fetchFor(
        auth,
        'files',
      )(`${redirecting.url}/mcp`);
      expect(response.status).toBe(307);
      expect(upstream.seen.length).toBe(before);
    } finally {
      await redirecting.close();
    }
  });

  it('refuses an exchanged JWT whose audience is not the target, and sends nothing', async () => {
    const key = new TextEncoder().encode('x'.repeat(32));
    const elsewhere = await new SignJWT({ act: { sub: 'gw' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('http://127.0.0.1:4999/other')
      .setExpirationTime('5m')
      .sign(key);
    const standIn = await startTokenEndpointStandIn(() => ({
      status: 200,
      body: {
        access_token: elsewhere,
        token_type: 'Bearer',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        expires_in: 300,
      },
    }));
    try {
      const auth = await inboundAuth(as);
      const gateway = createGateway({
        exchanger: createTokenExchanger({
          issuer: standIn.issuer,
          client: { method: 'client_secret_basic', ...GATEWAY },
        }),
        targets: [{ name: 'files', upstream: `${upstream.url}/mcp`, resource: FILES, scopes: [] }],
      });
      const before = upstream.seen.length;
      const error = await rejection(gateway.fetchFor(auth, 'files')(`${upstream.url}/mcp`));
      expect(error.code).toBe('passthrough_refused');
      expect(upstream.seen.length).toBe(before);
    } finally {
      await standIn.close();
    }
  });

  it('refuses unknown targets and targets without an audience', async () => {
    const auth = await inboundAuth(as);
    expect(() => gatewayFor(`${upstream.url}/mcp`).fetchFor(auth, 'nope')).toThrow(GatewayError);
    expect(() =>
      createGateway({
        exchanger: createTokenExchanger({
          issuer: as.issuer,
          client: { method: 'client_secret_basic', ...GATEWAY },
        }),
        targets: [{ name: 'x', scopes: [] }],
      }),
    ).toThrow(/needs a resource or an audience/);
  });
});
