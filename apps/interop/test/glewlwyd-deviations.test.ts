// Where Glewlwyd 2.7 answers outside the RFCs, and what @prmkit/client does about it: it
// copes where the RFC lets a client be lenient, and otherwise fails with an error that names
// the deviation. Each case first shows the raw answer, then prmkit's. Recorded in README.md.
import {
  ClientError,
  discover,
  parseTokenResponse,
  registerClient,
  tokenRequest,
  type AuthorizationServerMetadata,
  type TokenEndpointContext,
} from '@prmkit/client';
import { createAuthFetch } from '@prmkit/client';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { glewlwydLogin, startGlewlwyd, type RunningGlewlwyd } from '@prmkit/interop';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithGlewlwyd } from './support/glewlwyd-gate.js';
import { basic, glewlwydClientCredentials } from './support/glewlwyd-tokens.js';
import { SERVERS } from './support/servers.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const policy = { allowHttp: 'loopback' as const };

describeWithGlewlwyd('Glewlwyd deviations and @prmkit/client', () => {
  let glewlwyd: RunningGlewlwyd;
  let server: RunningExampleServer;
  let metadata: AuthorizationServerMetadata;

  beforeAll(async () => {
    glewlwyd = await startGlewlwyd({ redirectUris: [REDIRECT_URI] });
    server = await SERVERS.express({ port: 0, issuer: glewlwyd.issuer });
    await glewlwyd.allowResources([server.resource]);
    metadata = (await (await fetch(glewlwyd.discoveryUrl)).json()) as AuthorizationServerMetadata;
  });
  afterAll(async () => {
    await server?.close();
    await glewlwyd?.close();
  });

  const context = (client: TokenEndpointContext['client']): TokenEndpointContext => ({
    issuer: glewlwyd.issuer,
    metadata,
    client,
    policy,
  });
  const failure = async (work: Promise<unknown>): Promise<ClientError> => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  };

  it('no RFC 8414 document: discovery falls back to OpenID Connect path-append', async () => {
    const insert = `${glewlwyd.url}/.well-known/oauth-authorization-server/api/oidc`;
    expect((await fetch(insert)).status).toBe(404);
    const found = await discover(server.url, policy);
    expect(found.issuer).toBe(glewlwyd.issuer);
    expect(found.authorizationServerMetadataUrl).toBe(glewlwyd.discoveryUrl);
    expect(found.steps.filter((s) => s.step === 'authorization_server_metadata')).toEqual([
      expect.objectContaining({ url: insert, outcome: 'miss', status: 404 }),
      expect.objectContaining({ outcome: 'miss', status: 404 }),
      expect.objectContaining({ url: glewlwyd.discoveryUrl, outcome: 'ok', status: 200 }),
    ]);
  });

  it('token_type "bearer" in lower case: accepted (RFC 6749 §7.1, case-insensitive)', async () => {
    const { json } = await glewlwydClientCredentials(glewlwyd, glewlwyd.serviceClient, {
      scope: 'mcp:tools',
      resource: server.resource,
    });
    expect(json['token_type']).toBe('bearer');
    expect(parseTokenResponse(json).tokenType).toBe('Bearer');
  });

  it('registration answers 200, not 201 (RFC 7591 §3.2.1): accepted, the body is what counts', async () => {
    const raw = await fetch(String(metadata.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    });
    expect(raw.status).toBe(200);
    const client = await registerClient(metadata, REDIRECT_URI, undefined, policy);
    expect(client.tokenEndpointAuthMethod).toBe('client_secret_basic');
    expect(client.clientSecret).toEqual(expect.any(String));
  });

  it('a wrong client secret gets an empty 403: the error names the missing OAuth error object', async () => {
    const raw = await fetch(String(metadata.token_endpoint), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...basic(glewlwyd.serviceClient.clientId, 'wrong'),
      },
      body: 'grant_type=client_credentials&scope=mcp%3Atools',
    });
    expect([raw.status, await raw.text()]).toEqual([403, '']);
    const error = await failure(
      tokenRequest(
        context({
          clientId: glewlwyd.serviceClient.clientId,
          clientSecret: 'wrong',
          tokenEndpointAuthMethod: 'client_secret_basic',
          source: 'pre-registered',
        }),
        { grant_type: 'client_credentials', scope: 'mcp:tools' },
      ),
    );
    expect(error.code).toBe('token_request_failed');
    expect(error.status).toBe(403);
    expect(error.oauthError).toBeUndefined();
    expect(error.message).toBe(
      'token endpoint answered 403 without an OAuth error object (RFC 6749 §5.2 requires a JSON body with "error")',
    );
  });

  it('a bad refresh token gets an empty 400: named the same way, and never read as invalid_grant', async () => {
    const error = await failure(
      tokenRequest(
        context({
          clientId: glewlwyd.publicClient.clientId,
          tokenEndpointAuthMethod: 'none',
          source: 'pre-registered',
        }),
        { grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' },
      ),
    );
    expect(error.status).toBe(400);
    expect(error.oauthError).toBeUndefined();
    expect(error.message).toContain('without an OAuth error object (RFC 6749 §5.2');
  });

  it('a bad code gets 403 invalid_code (RFC 6749 §5.2: 400 invalid_grant): both are named', async () => {
    const error = await failure(
      tokenRequest(
        context({
          clientId: glewlwyd.publicClient.clientId,
          tokenEndpointAuthMethod: 'none',
          source: 'pre-registered',
        }),
        {
          grant_type: 'authorization_code',
          code: 'not-a-code',
          code_verifier: 'v'.repeat(43),
          redirect_uri: REDIRECT_URI,
        },
      ),
    );
    expect(error.oauthError).toBe('invalid_code');
    expect(error.message).toBe(
      'token endpoint answered 403 invalid_code (RFC 6749 §5.2 answers errors with 400 or 401)',
    );
  });

  it('a public DCR client is stored as confidential (2.7.5 bug): the flow fails naming it; client_confidential:false works', async () => {
    const connect = async (clientMetadata: Record<string, unknown>) => {
      const authFetch = createAuthFetch({
        allowHttp: 'loopback',
        redirectUri: REDIRECT_URI,
        openAuthorizationUrl: glewlwydLogin(glewlwyd),
        clientMetadata,
      });
      const client = new Client({ name: 'interop', version: '0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), { fetch: authFetch }),
      );
      await client.close();
    };
    // What a standards-only public client registers: Glewlwyd echoes "none", stores it as
    // confidential without a secret, and refuses the code exchange.
    const error = await connect({ token_endpoint_auth_method: 'none' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(String(error)).toContain(
      'token endpoint answered 403 unauthorized_client (RFC 6749 §5.2 answers errors with 400 or 401); the server refused the public client it registered dynamically',
    );
    expect(String(error)).toContain('`clientMetadata: { client_confidential: false }`');
    // The documented workaround: Glewlwyd's own registration member.
    await expect(
      connect({ token_endpoint_auth_method: 'none', client_confidential: false }),
    ).resolves.toBeUndefined();
  });
});
