import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CASES, send, toRequestLike } from '../src/index.js';

describe('send()', () => {
  let origin = '';
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ authorization: req.headersDistinct.authorization, method: req.method }),
    );
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends a repeated header as separate lines (fetch cannot)', async () => {
    const res = await send(origin, {
      path: '/',
      headers: { authorization: ['Bearer a', 'Bearer b'] },
    });
    expect(JSON.parse(res.body)).toEqual({
      authorization: ['Bearer a', 'Bearer b'],
      method: 'GET',
    });
  });

  it('gives up after the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    await expect(send(`http://127.0.0.1:${port}`, { path: '/' }, 200)).rejects.toThrow(/timed out/);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});

describe('toRequestLike()', () => {
  it('parses only a JSON POST body and keeps repeated headers', () => {
    expect(
      toRequestLike({
        method: 'POST',
        path: '/mcp',
        headers: { 'Content-Type': 'application/json' },
        body: '[1]',
      }).body,
    ).toEqual([1]);
    expect(
      toRequestLike({
        method: 'POST',
        path: '/mcp',
        headers: { 'content-type': 'text/plain' },
        body: '[1]',
      }).body,
    ).toBeUndefined();
    expect(
      toRequestLike({
        method: 'POST',
        path: '/mcp',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }).body,
    ).toBeUndefined();
    expect(toRequestLike({ path: '/mcp', headers: { authorization: ['a', 'b'] } }).headers).toEqual(
      { authorization: ['a', 'b'] },
    );
  });
});

describe('AUTH_CASES', () => {
  it('has unique names and covers every refusal kind', () => {
    const names = AUTH_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const kinds = new Set(
      AUTH_CASES.map((c) =>
        c.expect.status === 200 ? 'ok' : `${c.expect.status}:${c.expect.error ?? '-'}`,
      ),
    );
    expect([...kinds].sort()).toEqual([
      '400:invalid_request',
      '401:-',
      '401:invalid_token',
      '403:insufficient_scope',
      'ok',
    ]);
  });
});
