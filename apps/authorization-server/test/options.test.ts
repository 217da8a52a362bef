import { describe, expect, it } from 'vitest';
import {
  AuthorizationServerConfigError,
  optionsFromEnv,
  startAuthorizationServer,
} from '@prmkit/authorization-server';

describe('optionsFromEnv', () => {
  it('applies the documented defaults', () => {
    expect(optionsFromEnv({})).toEqual({
      port: 9000,
      host: '127.0.0.1',
      resources: [],
      allowLoopbackResources: true,
      accessTokenTtl: 900,
      refreshTokenTtl: 86_400,
      autoApprove: false,
    });
  });

  it('reads every variable', () => {
    expect(
      optionsFromEnv({
        PORT: '0',
        HOST: '::1',
        AS_ISSUER: 'http://localhost:9000',
        AS_SCOPES: 'a:read, a:write',
        AS_RESOURCES: 'https://api.example.com/mcp https://b.example.com/',
        AS_ALLOW_LOOPBACK_RESOURCES: '0',
        AS_ACCESS_TOKEN_TTL: '60',
        AS_REFRESH_TOKEN_TTL: '120',
        AS_AUTO_APPROVE: '1',
        AS_AUTO_APPROVE_USER: 'bob',
      }),
    ).toEqual({
      port: 0,
      host: '::1',
      issuer: 'http://localhost:9000',
      scopes: ['a:read', 'a:write'],
      resources: ['https://api.example.com/mcp', 'https://b.example.com/'],
      allowLoopbackResources: false,
      accessTokenTtl: 60,
      refreshTokenTtl: 120,
      autoApprove: { username: 'bob' },
    });
  });

  it('lists every malformed variable at once', () => {
    let caught: unknown;
    try {
      optionsFromEnv({ PORT: 'eighty', AS_ACCESS_TOKEN_TTL: '-5', AS_AUTO_APPROVE: 'maybe' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthorizationServerConfigError);
    const { problems, code } = caught as AuthorizationServerConfigError;
    expect(code).toBe('ERR_AS_CONFIG');
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT[\s\S]*AS_ACCESS_TOKEN_TTL[\s\S]*AS_AUTO_APPROVE/);
  });
});

describe('startAuthorizationServer option checks', () => {
  it('refuses to bind a non-loopback address', async () => {
    await expect(startAuthorizationServer({ host: '0.0.0.0' })).rejects.toThrow(
      /host: must be a loopback address/,
    );
  });

  it('refuses bad scopes, resources, issuer and auto-approve user together', async () => {
    const attempt = startAuthorizationServer({
      issuer: 'http://127.0.0.1:9000/tenant?x=1',
      scopes: ['has space', 'openid'],
      resources: ['ftp://files.example.com/', 'https://a.example.com/#frag'],
      autoApprove: { username: 'mallory' },
    });
    await expect(attempt).rejects.toBeInstanceOf(AuthorizationServerConfigError);
    const error = (await attempt.catch(
      (caught: unknown) => caught,
    )) as AuthorizationServerConfigError;
    expect(error.problems).toHaveLength(6);
  });

  it('accepts an explicit issuer and serves it in metadata', async () => {
    const as = await startAuthorizationServer({ port: 0, issuer: 'http://localhost:1/' });
    try {
      expect(as.issuer).toBe('http://localhost:1');
      const document = (await (
        await fetch(`${as.url}/.well-known/oauth-authorization-server`)
      ).json()) as {
        issuer: string;
      };
      expect(document.issuer).toBe('http://localhost:1');
    } finally {
      await as.close();
    }
  });
});
