import { parseWwwAuthenticate } from '@prmkit/core';
import { describe, expect, it } from 'vitest';
import { rewriteDownstreamAnswer } from '@prmkit/gateway';

const ctx = {
  resourceMetadataUrl: 'https://gw.example.com/.well-known/oauth-protected-resource/files',
  scopes: ['mcp:tools'],
};

describe('rewriteDownstreamAnswer', () => {
  it('points a downstream 403 challenge at the gateway route, keeping its scope', async () => {
    const upstream = new Response('{"error":"insufficient_scope"}', {
      status: 403,
      headers: {
        'www-authenticate':
          'Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="http://10.0.0.7:4001/.well-known/oauth-protected-resource/mcp"',
      },
    });
    const answer = rewriteDownstreamAnswer(upstream, ctx);
    expect(answer.status).toBe(403);
    const [bearer] = parseWwwAuthenticate(answer.headers.get('www-authenticate'));
    expect(bearer?.params).toEqual({
      error: 'insufficient_scope',
      scope: 'mcp:tools mcp:admin',
      resource_metadata: ctx.resourceMetadataUrl,
    });
    expect(await answer.text()).toBe('{"error":"insufficient_scope"}');
  });

  it('turns a downstream 401 (it refused the exchanged token) into 502 without its challenge', async () => {
    const upstream = new Response('no', {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer error="invalid_token", resource_metadata="http://10.0.0.7/x"',
      },
    });
    const answer = rewriteDownstreamAnswer(upstream, ctx);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(JSON.parse(await answer.text())).toMatchObject({ error: 'bad_gateway' });
  });

  it('passes other answers (an SSE stream) unchanged', async () => {
    const upstream = new Response('event: message\ndata: {}\n\n', {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
    const answer = rewriteDownstreamAnswer(upstream, ctx);
    expect(answer).toBe(upstream);
  });
});
