import { Writable } from 'node:stream';
import { createResourceServer } from '@prmkit/core';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleLogger,
  exampleResourceServerConfig,
  ExampleServerEnvError,
  readServerEnv,
} from '@prmkit/example-tools';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
});
afterAll(() => issuer.close());

function collect() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const get = (token: string) => ({
  method: 'GET',
  url: '/mcp',
  headers: { host: '127.0.0.1:4000', authorization: `Bearer ${token}` },
});

describe('PRMKIT_LOG_LEVEL and JSON-line logs', () => {
  it('reads debug, info and warn; refuses anything else', () => {
    const base = { PRMKIT_ISSUER: 'https://auth.example.com' };
    expect(readServerEnv({ ...base, PRMKIT_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(readServerEnv(base).logLevel).toBeUndefined(); // info, applied in the config
    expect(() => readServerEnv({ ...base, PRMKIT_LOG_LEVEL: 'verbose' })).toThrow(
      ExampleServerEnvError,
    );
  });

  it('info: one JSON line per misconfiguration warning, with level, msg, reason and the values', async () => {
    const { lines, stream } = collect();
    const config = exampleResourceServerConfig(
      { issuer: issuer.issuer, jwksUri: issuer.jwksUri, logger: exampleLogger('info', stream) },
      RESOURCE,
    );
    const rs = createResourceServer(config);
    const token = await issuer.mint({ aud: 'http://localhost:4000/mcp' });
    await rs.authorize(get(token));
    await rs.authorize(get(token));
    await rs.authorize(get(await issuer.mint()));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'warn',
      reason: 'audience_mismatch',
      expected: { audience: RESOURCE },
      received: { audience: ['http://localhost:4000/mcp'] },
    });
    expect(String(line.msg)).toContain('http://localhost:4000/mcp');
    expect(lines[0]).not.toContain(token);
  });

  it('debug: every decision is a line', async () => {
    const { lines, stream } = collect();
    const rs = createResourceServer(
      exampleResourceServerConfig(
        { issuer: issuer.issuer, jwksUri: issuer.jwksUri, logger: exampleLogger('debug', stream) },
        RESOURCE,
      ),
    );
    await rs.authorize(get(await issuer.mint()));
    await rs.authorize(get('not.a.jwt'));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.level, l.reason])).toEqual([
      ['debug', 'granted'],
      ['debug', 'token_malformed'],
    ]);
  });

  it('warn: the misconfiguration warnings still come through', async () => {
    const { lines, stream } = collect();
    const rs = createResourceServer(
      exampleResourceServerConfig(
        { issuer: issuer.issuer, jwksUri: issuer.jwksUri, logger: exampleLogger('warn', stream) },
        RESOURCE,
      ),
    );
    await rs.authorize(get(await issuer.mint({ iss: 'https://other.example' })));
    expect(lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual([
      'issuer_mismatch',
    ]);
  });
});
