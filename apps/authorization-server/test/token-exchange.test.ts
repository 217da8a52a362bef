import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationServerConfigError,
  optionsFromEnv,
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import {
  codeFlow,
  endpoint,
  register,
  registerPublicClient,
  RESOURCE,
  token,
  verifyAccessToken,
} from './support.js';

// RFC 8693 on oidc-provider's custom grant type (provider.registerGrantType).
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
const FILES = 'http://127.0.0.1:4101/mcp';
const SEARCH = 'http://127.0.0.1:4102/mcp';
const GATEWAY = { id: 'prmkit-gateway', secret: 'gateway-secret-0123456789' };

describe('RFC 8693 token exchange', () => {
  let as: RunningAuthorizationServer;
  let subjectToken: string;
  let keyClientKey: CryptoKey;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    keyClientKey = privateKey;
    as = await startAuthorizationServer({
      port: 0,
      autoApprove: {},
      allowLoopbackResources: false,
      resources: [RESOURCE],
      tokenExchange: {
        clients: [
          { clientId: GATEWAY.id, clientSecret: GATEWAY.secret },
          {
            clientId: 'key-gateway',
            jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] },
          },
        ],
        resources: [FILES, SEARCH],
      },
    });
    const client = await registerPublicClient(as);
    subjectToken = String((await codeFlow(as, client, { scope: 'mcp:tools' })).access_token);
  });
  afterAll(() => as.close());

  const exchange = (params: Record<string, string>, auth = GATEWAY) =>
    token(
      as,
      { grant_type: GRANT, subject_token: subjectToken, subject_token_type: ACCESS, ...params },
      auth,
    );

  it('issues a token for the downstream with act = the gateway and the user as sub', async () => {
    const { status, json } = await exchange({ resource: FILES, scope: 'mcp:tools' });
    expect(status).toBe(200);
    expect(json.issued_token_type).toBe(ACCESS); // RFC 8693 §2.2.1: REQUIRED
    expect(json.token_type).toBe('Bearer');
    expect(json.expires_in).toBeGreaterThan(0);
    const { payload } = await verifyAccessToken(as, json.access_token, FILES);
    expect(payload.aud).toBe(FILES);
    expect(payload.sub).toBe('alice');
    expect(payload.act).toEqual({ sub: GATEWAY.id }); // RFC 8693 §4.1
    expect(payload.client_id).toBe(GATEWAY.id); // RFC 8693 §4.3
    expect(payload.scope).toBe('mcp:tools');
  });

  it('accepts `audience` naming a registered downstream', async () => {
    const { status, json } = await exchange({ audience: SEARCH });
    expect(status).toBe(200);
    const { payload } = await verifyAccessToken(as, json.access_token, SEARCH);
    expect(payload.act).toEqual({ sub: GATEWAY.id });
  });

  it('nests the act of an exchanged subject token (a second hop)', async () => {
    const first = await exchange({ resource: FILES });
    const { status, json } = await token(
      as,
      {
        grant_type: GRANT,
        subject_token: String(first.json.access_token),
        subject_token_type: ACCESS,
        resource: SEARCH,
      },
      GATEWAY,
    );
    expect(status).toBe(200);
    const { payload } = await verifyAccessToken(as, json.access_token, SEARCH);
    expect(payload.act).toEqual({ sub: GATEWAY.id, act: { sub: GATEWAY.id } });
  });

  it('authenticates an exchange client by private_key_jwt', async () => {
    const tokenEndpoint = await endpoint(as, 'token_endpoint');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('key-gateway')
      .setSubject('key-gateway')
      .setAudience(as.issuer)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(keyClientKey);
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: GRANT,
        subject_token: subjectToken,
        subject_token_type: ACCESS,
        resource: FILES,
        client_id: 'key-gateway',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    const { payload } = await verifyAccessToken(as, json.access_token, FILES);
    expect(payload.act).toEqual({ sub: 'key-gateway' });
  });

  it('refuses a resource that is not a registered downstream (invalid_target)', async () => {
    const { status, json } = await exchange({ resource: RESOURCE });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_target');
  });

  it('refuses two targets at once (invalid_target)', async () => {
    const { status, json } = await exchange({ resource: FILES, audience: SEARCH });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_target');
  });

  it('refuses a subject token that is not one of its own valid access tokens (invalid_request)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'mcp:tools' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .setIssuer(as.issuer)
      .setSubject('alice')
      .setAudience(RESOURCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    const { status, json } = await exchange({ resource: FILES, subject_token: forged });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_request');
  });

  it('refuses a wrong subject_token_type (invalid_request)', async () => {
    const { status, json } = await exchange({
      resource: FILES,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_request');
  });

  it('refuses scope the subject token does not carry (invalid_scope)', async () => {
    const { status, json } = await exchange({ resource: FILES, scope: 'mcp:tools mcp:admin' });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_scope');
  });

  it('refuses any other client, even one registered for the grant (unauthorized_client)', async () => {
    const registered = await register(as, {
      client_name: 'Not the gateway',
      grant_types: [GRANT],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(registered.status).toBe(201);
    const { status, json } = await exchange(
      { resource: FILES },
      { id: String(registered.json.client_id), secret: String(registered.json.client_secret) },
    );
    expect(status).toBe(400);
    expect(json.error).toBe('unauthorized_client');
  });

  it('refuses the gateway with a wrong secret (invalid_client)', async () => {
    const { status, json } = await exchange(
      { resource: FILES },
      { ...GATEWAY, secret: 'x'.repeat(24) },
    );
    expect(status).toBe(401);
    expect(json.error).toBe('invalid_client');
  });
});

describe('token exchange configuration', () => {
  it('reads AS_EXCHANGE_* (all three or none)', () => {
    const options = optionsFromEnv({
      AS_EXCHANGE_CLIENT_ID: 'gw',
      AS_EXCHANGE_CLIENT_SECRET: 'gateway-secret-0123456789',
      AS_EXCHANGE_RESOURCES: 'http://127.0.0.1:4101/mcp http://127.0.0.1:4102/mcp',
    });
    expect(options.tokenExchange).toEqual({
      clients: [{ clientId: 'gw', clientSecret: 'gateway-secret-0123456789' }],
      resources: ['http://127.0.0.1:4101/mcp', 'http://127.0.0.1:4102/mcp'],
    });
    expect(() => optionsFromEnv({ AS_EXCHANGE_CLIENT_ID: 'gw' })).toThrow(
      AuthorizationServerConfigError,
    );
  });

  it('refuses unusable exchange settings, listing each', async () => {
    const error = await startAuthorizationServer({
      tokenExchange: {
        clients: [
          { clientId: 'gw', clientSecret: 'short' },
          { clientId: 'gw', clientSecret: 'gateway-secret-0123456789' },
        ],
        resources: ['not a url', 'http://127.0.0.1/x#frag'],
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthorizationServerConfigError);
    const problems = (error as AuthorizationServerConfigError).problems.join('\n');
    expect(problems).toContain('shorter than 16');
    expect(problems).toContain('listed twice');
    expect(problems).toContain('"not a url"');
    expect(problems).toContain('#frag');
  });
});
