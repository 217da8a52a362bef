import { describe, expect, it } from 'vitest';
import { DiscoveryError, createAuthFetch, discover } from '@prmkit/client';
import type { FetchLike } from '@prmkit/client';
import { PrmkitConfigError } from '@prmkit/core';
import { fixtureAs as as, fixtureRs as rs, rejection } from './helpers.js';

// Issue 13 item 11: a hostile server must not aim the client at the client's own network.

/**
 * The real fetch, recording every URL asked for; it refuses to leave this machine (a test
 * must never reach 10.0.0.1 for real), so an attempted private fetch shows as a miss.
 */
function recordingFetch(): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    urls.push(url);
    if (new URL(url).hostname !== '127.0.0.1') throw new TypeError(`offline test: ${url}`);
    return globalThis.fetch(input, init);
  };
  return { fetch, urls };
}

async function discoveryError(p: Promise<unknown>): Promise<DiscoveryError> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(DiscoveryError);
  return e as DiscoveryError;
}

const HOSTILE = [
  'https://10.0.0.1/.well-known/oauth-protected-resource',
  'https://169.254.169.254/latest/meta-data/',
  'https://[fd00::1]/prm',
  'https://100.64.0.1/prm',
  'https://[::ffff:10.0.0.1]/prm',
  'https://172.16.0.1/prm',
  'https://192.168.0.1/prm',
  'https://[fe80::1]/prm',
  'https://167772161/prm', // 10.0.0.1 written in decimal
  'https://0xa9.0xfe.0xa9.0xfe/prm', // 169.254.169.254 in hex
  'https://0x0a000001/prm',
];

describe('URLs a server hands over may not name a private address', () => {
  it.each(HOSTILE)('refuses resource_metadata=%s without fetching it', async (hostile) => {
    const r = await rs({ rawChallenge: () => `Bearer resource_metadata="${hostile}"` });
    const { fetch, urls } = recordingFetch();
    const e = await discoveryError(discover(r.url, { allowHttp: 'loopback', fetch }));
    expect(e.code).toBe('insecure_url');
    expect(e.message).toMatch(/^resource_metadata must not name a host in /);
    expect(e.message).toContain("allowPrivateNetwork: 'private-and-link-local'");
    expect(urls).toEqual([r.url]);
  });

  it('refuses a private authorization server and a private endpoint in AS metadata', async () => {
    const { fetch, urls } = recordingFetch();
    const r1 = await rs({
      prm: (_o, resource) => ({ resource, authorization_servers: ['https://169.254.169.254'] }),
    });
    const e1 = await discoveryError(discover(r1.url, { allowHttp: 'loopback', fetch }));
    expect(e1.code).toBe('insecure_url');
    expect(e1.message).toContain('authorization_servers[0]');
    expect(urls.some((u) => u.includes('169.254'))).toBe(false);

    const a = await as({ metadata: () => ({ token_endpoint: 'https://10.0.0.1/token' }) });
    const r2 = await rs({ as: a });
    const e2 = await discoveryError(discover(r2.url, { allowHttp: 'loopback', fetch }));
    expect(e2.code).toBe('authorization_server_metadata_invalid');
    expect(e2.message).toContain('token_endpoint must not name a host in a private network');
  });

  it('refuses a loopback literal unless allowHttp covers loopback', async () => {
    const probeResponse = () =>
      new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'Bearer resource_metadata="https://127.0.0.1:1/prm"' },
      });
    const { fetch, urls } = recordingFetch();
    const e = await discoveryError(
      discover('https://mcp.example.com/mcp', { probeResponse: probeResponse(), fetch }),
    );
    expect(e.code).toBe('insecure_url');
    expect(e.message).toContain('loopback');
    expect(urls).toEqual([]);
    // With allowHttp: 'loopback' the literal is allowed (and fetched: here it fails, a miss).
    const loose = await discoveryError(
      discover('https://mcp.example.com/mcp', {
        probeResponse: probeResponse(),
        fetch,
        allowHttp: 'loopback',
      }),
    );
    expect(loose.steps[0]).toMatchObject({ step: 'probe', outcome: 'challenge' });
    expect(loose.steps[1]).toMatchObject({ url: 'https://127.0.0.1:1/prm', outcome: 'miss' });
  });

  it("allowPrivateNetwork: 'private-and-link-local' lets an intranet address through", async () => {
    const a = await as();
    const r = await rs({
      as: a,
      rawChallenge: () => 'Bearer resource_metadata="https://10.0.0.1/prm"',
    });
    const { fetch, urls } = recordingFetch();
    const result = await discover(r.url, {
      allowHttp: 'loopback',
      allowPrivateNetwork: 'private-and-link-local',
      fetch,
    });
    // The private URL was tried (the test fetch keeps it offline: a miss), then the well-known one.
    expect(urls[1]).toBe('https://10.0.0.1/prm');
    expect(result.steps[1]).toMatchObject({ url: 'https://10.0.0.1/prm', outcome: 'miss' });
    expect(result.issuer).toBe(a.issuer);
  });

  it('createAuthFetch refuses it too, before any token request', async () => {
    const r = await rs({
      rawChallenge: () => 'Bearer resource_metadata="https://[fd12:3456::1]/prm"',
    });
    const { fetch, urls } = recordingFetch();
    const authFetch = createAuthFetch({
      allowHttp: 'loopback',
      fetch,
      grant: 'client_credentials',
    });
    await expect(authFetch(r.url)).rejects.toMatchObject({ code: 'insecure_url' });
    expect(urls).toEqual([r.url]);
  });
});

describe('the switch is a named literal; the boolean of earlier versions is refused', () => {
  it.each([true, false, 'yes'])(
    'allowPrivateNetwork: %s is a config error naming the new form',
    async (value) => {
      const options = { allowPrivateNetwork: value } as never;
      const fromFactory = (() => {
        try {
          createAuthFetch(options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      const fromDiscover = await rejection(discover('https://mcp.example.com/mcp', options));
      for (const e of [fromFactory, fromDiscover]) {
        expect(e).toBeInstanceOf(PrmkitConfigError);
        expect(e).toMatchObject({ code: 'config_invalid' });
        expect((e as PrmkitConfigError).issues[0]?.path).toBe('allowPrivateNetwork');
        expect((e as Error).message).toContain("'private-and-link-local'");
      }
    },
  );
});
