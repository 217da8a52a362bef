import { Writable } from 'node:stream';
import { send, startFixture } from '@prmkit/adapter-tests';
import type { SuiteFixture } from '@prmkit/adapter-tests';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prmkitPlugin } from '../src/index.js';
import { listenOn } from './harness.js';

/** Fastify's own pino logger, writing JSON lines into `lines`. */
function capture(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { level: 'warn', stream };
}

describe('fastify: refusals are logged where Fastify logs (request.log)', () => {
  const lines: Record<string, unknown>[] = [];
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await startFixture({
      async start({ port, config }) {
        const app = Fastify({ forceCloseConnections: true, logger: capture(lines) });
        await app.register(prmkitPlugin, { resourceServer: config });
        app.get('/mcp', { preParsing: app.requireAuth() }, async () => ({ ok: true }));
        return listenOn(app, port);
      },
    });
  });
  afterAll(() => fx?.close());

  it('warns once through the request logger, with its reqId and the compared audience', async () => {
    const token = await fx.mint({ aud: 'https://other.example/mcp' });
    for (let i = 0; i < 2; i++) {
      const res = await send(fx.origin, {
        path: '/mcp',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    }
    const warnings = lines.filter((l) => l['reason'] === 'audience_mismatch');
    expect(warnings).toHaveLength(1); // then at most once a minute
    expect(warnings[0]?.['reqId']).toEqual(expect.any(String)); // request.log's child binding
    expect(JSON.stringify(warnings[0])).toContain('https://other.example/mcp');
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
