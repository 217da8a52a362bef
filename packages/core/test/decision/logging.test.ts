import { Writable } from 'node:stream';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createResourceServer, type ResourceServerConfig } from '../../src/index.js';
import { withDefaultLogger } from '../../src/adapter.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
let other: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
  other = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
});
afterAll(async () => {
  await issuer.close();
  await other.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A real pino logger writing JSON lines into an array. */
function pinoLines(level: 'debug' | 'info' | 'warn') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level }, stream), lines, raw };
}

function server(logger: ResourceServerConfig['logger']) {
  return createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: issuer.jwksUri },
    logger,
  });
}

const get = (token?: string, headers: Record<string, string> = { host: '127.0.0.1:4000' }) => ({
  method: 'GET',
  url: '/mcp',
  headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` },
});

describe('logging (real pino)', () => {
  it('warns once on a misconfiguration-looking refusal, then at most once a minute per reason', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { logger, lines } = pinoLines('info');
    const rs = server(logger);
    const foreign = await other.mint();
    for (let i = 0; i < 3; i += 1) await rs.authorize(get(foreign));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      reason: 'issuer_mismatch',
      status: 401,
      expected: { issuers: [issuer.issuer] },
      received: { issuer: other.issuer },
    });
    expect(String(lines[0]!.msg)).toContain(other.issuer);
    // Another reason warns on its own.
    await rs.authorize(get(await issuer.mint({ aud: 'https://elsewhere.example/mcp' })));
    expect(lines.map((l) => l.reason)).toEqual(['issuer_mismatch', 'audience_mismatch']);
    vi.setSystemTime(Date.now() + 61_000);
    await rs.authorize(get(foreign));
    expect(lines.map((l) => l.reason)).toEqual([
      'issuer_mismatch',
      'audience_mismatch',
      'issuer_mismatch',
    ]);
  });

  it('logs nothing per request at info: client mistakes and successes are silent', async () => {
    const { logger, lines } = pinoLines('info');
    const rs = server(logger);
    await rs.authorize(get());
    await rs.authorize(get('garbage'));
    await rs.authorize(get(await issuer.mint({}, { key: 'other' })));
    await rs.authorize(get(await issuer.mint()));
    expect(lines).toEqual([]);
  });

  it('debug logs every decision, without the token', async () => {
    const { logger, lines, raw } = pinoLines('debug');
    const rs = server(logger);
    const token = await issuer.mint();
    await rs.authorize(get(token));
    await rs.authorize(get('garbage'));
    expect(lines.map((l) => [l.level, l.reason])).toEqual([
      [20, 'granted'],
      [20, 'token_malformed'],
    ]);
    expect(lines[0]).toMatchObject({ subject: 'user-123', cacheHit: false });
    expect(raw.join('\n')).not.toContain(token);
  });

  it('a logger that cannot say its level: yours gets debug lines, a framework default (a no-op logger) builds none', async () => {
    const debugCalls: string[] = [];
    const levelless = () => ({
      warn: () => undefined,
      debug: (_fields: object, message: string) => void debugCalls.push(message),
    });
    const token = await issuer.mint();
    await server(levelless()).authorize(get(token));
    expect(debugCalls).toHaveLength(1);
    debugCalls.length = 0;
    const rs = createResourceServer(
      withDefaultLogger(
        {
          resource: RESOURCE,
          authorizationServers: [issuer.issuer],
          allowHttp: 'loopback',
          jwt: { jwksUri: issuer.jwksUri },
        },
        levelless(),
      ),
    );
    await rs.authorize(get(token));
    expect(debugCalls).toEqual([]);
  });

  it('warns once when requests keep arriving for another Host than the resource', async () => {
    const { logger, lines } = pinoLines('warn');
    const rs = server(logger);
    for (let i = 0; i < 5; i += 1) await rs.authorize(get(undefined, { host: 'internal:8080' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      reason: 'host_mismatch',
      expectedHost: '127.0.0.1:4000',
      receivedHost: 'internal:8080',
    });
    expect(String(lines[0]!.msg)).toContain(RESOURCE);
  });

  it('no host warning behind a proxy that forwards the public host', async () => {
    const { logger, lines } = pinoLines('warn');
    const rs = server(logger);
    for (let i = 0; i < 5; i += 1)
      await rs.authorize(
        get(undefined, { host: 'internal:8080', 'x-forwarded-host': '127.0.0.1:4000' }),
      );
    expect(lines).toEqual([]);
  });

  it('a throwing logger does not change the decision', async () => {
    const rs = server({
      warn: () => {
        throw new Error('disk full');
      },
    });
    const result = await rs.authorize(get(await other.mint()));
    expect(!result.ok && result.error.code).toBe('issuer_mismatch');
  });

  it('a logger without warn is a configuration error', () => {
    expect(() => server({} as never)).toThrow(/logger/);
  });
});
