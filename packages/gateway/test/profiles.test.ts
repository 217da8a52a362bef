import type { AuthInfo } from '@prmkit/core';
import {
  startTokenEndpointStandIn,
  type TokenEndpointAnswer,
  type TokenEndpointStandIn,
} from '@prmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTokenExchanger,
  type ExchangeProfile,
  GatewayError,
  gatewayRefusal,
} from '@prmkit/gateway';

const inbound: AuthInfo = {
  token: 'inbound-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  subject: 'alice',
  clientId: 'mcp-client',
  scopes: ['mcp:tools'],
  audience: ['https://gateway.example.com/files'],
  issuer: 'https://idp.example.com',
  expiresAt: Math.floor(Date.now() / 1000) + 600,
  claims: {},
};
const basic = {
  method: 'client_secret_basic',
  clientId: 'gateway',
  clientSecret: 'gw secret/+',
} as const;
const issued = (extra: Record<string, unknown> = {}): TokenEndpointAnswer => ({
  status: 200,
  body: {
    access_token: 'downstream-opaque-token',
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    token_type: 'Bearer',
    expires_in: 300,
    ...extra,
  },
});

let standIn: TokenEndpointStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function exchangeAt(
  profile: ExchangeProfile,
  target: { resource?: string; audience?: string; scopes: string[] },
  answer: TokenEndpointAnswer = issued(),
  discovery: 'oauth' | 'openid' = 'oauth',
): Promise<URLSearchParams> {
  standIn = await startTokenEndpointStandIn(() => answer, { discovery });
  await createTokenExchanger({ issuer: standIn.issuer, client: basic, profile }).tokenFor(inbound, {
    name: 'api',
    ...target,
  });
  const request = standIn.requests[0];
  if (request === undefined) throw new Error('no token request');
  // client_secret_basic: form-urlencoded id and secret (RFC 6749 §2.3.1), never in the body
  expect(request.headers['authorization']).toBe(`Basic ${btoa('gateway:gw+secret%2F%2B')}`);
  expect(request.form.has('client_secret')).toBe(false);
  return request.form;
}

describe('request shape per IdP profile', () => {
  it('rfc8693: resource and audience as given, access-token subject', async () => {
    const form = await exchangeAt('rfc8693', {
      resource: 'https://api.example.com/',
      audience: 'api',
      scopes: ['read', 'write'],
    });
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(form.get('subject_token')).toBe(inbound.token);
    expect(form.get('subject_token_type')).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(form.get('resource')).toBe('https://api.example.com/');
    expect(form.get('audience')).toBe('api');
    expect(form.get('scope')).toBe('read write');
  });

  // https://www.keycloak.org/securing-apps/token-exchange ("audience": the client id of the target)
  it('keycloak: audience = the target client id, no resource', async () => {
    const form = await exchangeAt('keycloak', {
      resource: 'https://files.example.com/mcp',
      audience: 'files-service',
      scopes: [],
    });
    expect(form.get('audience')).toBe('files-service');
    expect(form.has('resource')).toBe(false);
    expect(form.has('scope')).toBe(false);
  });

  // https://auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange (audience = API identifier)
  it('auth0: audience = the API identifier', async () => {
    const form = await exchangeAt('auth0', {
      audience: 'https://files.example.com/api',
      scopes: ['read:files'],
    });
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(form.get('audience')).toBe('https://files.example.com/api');
    expect(form.get('scope')).toBe('read:files');
  });

  // https://developer.okta.com/docs/guides/set-up-token-exchange/ (custom AS, audience of the API)
  it('okta: audience', async () => {
    const form = await exchangeAt('okta', { audience: 'api://files', scopes: ['files.read'] });
    expect(form.get('audience')).toBe('api://files');
    expect(form.has('resource')).toBe(false);
  });

  // https://workos.com/blog/mcp-server-call-api-on-behalf-of-user (resource = the API)
  it('workos: resource, no audience', async () => {
    const form = await exchangeAt('workos', {
      resource: 'https://api.example.com',
      audience: 'ignored',
      scopes: [],
    });
    expect(form.get('resource')).toBe('https://api.example.com');
    expect(form.has('audience')).toBe(false);
  });

  // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
  // (grant_type jwt-bearer, assertion, requested_token_use=on_behalf_of, scope; the answer has no issued_token_type)
  it('entra-obo: RFC 7523 jwt-bearer on behalf of', async () => {
    const form = await exchangeAt(
      'entra-obo',
      { audience: 'api://files-app', scopes: ['api://files-app/.default'] },
      {
        status: 200,
        body: {
          token_type: 'Bearer',
          scope: 'api://files-app/.default',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: 'eyJ0eXAi-entra',
        },
      },
      // Entra publishes only OpenID discovery:
      // https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
      'openid',
    );
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('assertion')).toBe(inbound.token);
    expect(form.get('requested_token_use')).toBe('on_behalf_of');
    expect(form.get('scope')).toBe('api://files-app/.default');
    expect(form.has('subject_token')).toBe(false);
  });
});

async function failure(
  answer: TokenEndpointAnswer | (() => Promise<TokenEndpointAnswer>),
  timeoutMs = 5000,
): Promise<GatewayError> {
  standIn = await startTokenEndpointStandIn(typeof answer === 'function' ? answer : () => answer);
  const result = await createTokenExchanger({ issuer: standIn.issuer, client: basic, timeoutMs })
    .tokenFor(inbound, { name: 'api', resource: 'https://api.example.com/', scopes: [] })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(result instanceof GatewayError))
    throw new Error(`expected a GatewayError, got ${String(result)}`);
  return result;
}

describe('discovery of the token endpoint (RFC 8414)', () => {
  it('refuses metadata that names another issuer (RFC 8414 section 3.3), before any exchange', async () => {
    standIn = await startTokenEndpointStandIn(() => issued(), {
      claimedIssuer: 'https://evil.example.com',
    });
    const error = await createTokenExchanger({ issuer: standIn.issuer, client: basic })
      .tokenFor(inbound, { name: 'api', resource: 'https://api.example.com/', scopes: [] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('exchange_response_invalid');
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('answers that are not usable', () => {
  it('tolerates a missing issued_token_type (Logto omits it) but refuses another type', async () => {
    const form = await exchangeAt(
      'rfc8693',
      { resource: 'https://api.example.com/', scopes: [] },
      issued({ issued_token_type: undefined }),
    );
    expect(form.get('resource')).toBe('https://api.example.com/');
    const error = await failure(
      issued({ issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
    );
    expect(error.code).toBe('exchange_response_invalid');
  });

  it('refuses token_type N_A or DPoP (only Bearer can be sent)', async () => {
    expect((await failure(issued({ token_type: 'N_A' }))).code).toBe('exchange_response_invalid');
    expect((await failure(issued({ token_type: 'DPoP' }))).code).toBe('exchange_response_invalid');
  });

  it('refuses the inbound token handed back (no passthrough, even by the AS)', async () => {
    const error = await failure(issued({ access_token: inbound.token }));
    expect(error.code).toBe('exchange_response_invalid');
    expect(error.message).not.toContain(inbound.token);
  });

  it('a 5xx → exchange_unavailable with the AS Retry-After', async () => {
    const error = await failure({
      status: 503,
      body: { error: 'temporarily_unavailable' },
      headers: { 'retry-after': '7' },
    });
    expect(error.code).toBe('exchange_unavailable');
    expect(error.retryAfter).toBe(7);
    const answer = gatewayRefusal(error, {
      resourceMetadataUrl: 'https://gw.example.com/.well-known/oauth-protected-resource/files',
      scopes: [],
    });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('7');
  });

  it('a hanging AS → exchange_unavailable after the timeout', async () => {
    const started = Date.now();
    const error = await failure(() => new Promise<TokenEndpointAnswer>(() => undefined), 300);
    expect(error.code).toBe('exchange_unavailable');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('consent_required → 403 insufficient_scope; unauthorized_client → 502', async () => {
    const ctx = {
      resourceMetadataUrl: 'https://gw.example.com/.well-known/oauth-protected-resource/files',
      scopes: ['files:read'],
    };
    const consent = await failure({ status: 400, body: { error: 'consent_required' } });
    expect(gatewayRefusal(consent, ctx).status).toBe(403);
    expect(gatewayRefusal(consent, ctx).headers['www-authenticate']).toContain(
      'scope="files:read"',
    );
    const unauthorized = await failure({ status: 400, body: { error: 'unauthorized_client' } });
    expect(gatewayRefusal(unauthorized, ctx).status).toBe(502);
  });
});
