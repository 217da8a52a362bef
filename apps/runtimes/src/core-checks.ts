// @prmkit/core on the host's Web Crypto and fetch: one JSON line on stdout with what the
// core decided, for the Node test to compare with its own answers. Input ($PRMKIT_CHECKS,
// JSON): a loopback issuer with its JWKS, the resource, and tokens minted with jose.
// The host also mints its own token with jose (its Web Crypto) and serves the JWKS itself.
import {
  createResourceServer,
  formatWwwAuthenticate,
  metadataUrlFor,
  parseWwwAuthenticate,
  type AuthorizeResult,
} from '@prmkit/core';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { env, hostVersion, serveOnLoopback } from './host.ts';

interface Input {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly resource: string;
  readonly tokens: Readonly<Record<string, string>>;
}
const input = JSON.parse(env('PRMKIT_CHECKS')) as Input;

const outcome = (result: AuthorizeResult) =>
  result.ok
    ? { ok: true, subject: result.auth.subject, scopes: result.auth.scopes }
    : { ok: false, status: result.status, headers: result.headers, body: result.body };

const toolCall = (name: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: {} },
});

const rs = createResourceServer({
  resource: input.resource,
  authorizationServers: [input.issuer],
  jwt: { jwksUri: input.jwksUri },
  requiredScopes: ['mcp:tools'],
  scopesSupported: ['mcp:tools', 'mcp:admin'],
  toolScopes: { admin_stats: ['mcp:admin'] },
  allowHttp: 'loopback',
});

const decisions: Record<string, unknown> = {};
for (const [name, token] of Object.entries(input.tokens)) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (token !== '') headers.set('authorization', `Bearer ${token}`);
  decisions[name] = outcome(
    await rs.authorize({ method: 'POST', url: input.resource, headers, body: toolCall('echo') }),
  );
  decisions[`${name}+admin_stats`] = outcome(
    await rs.authorize({
      method: 'POST',
      url: input.resource,
      headers,
      body: toolCall('admin_stats'),
    }),
  );
}

// A key made here, a token signed here, a JWKS served here: Web Crypto both ways.
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'host-key', alg: 'ES256', use: 'sig' };
const jwks = await serveOnLoopback(0, () => Response.json({ keys: [jwk] }));
const ownIssuer = `http://127.0.0.1:${jwks.port}`;
const own = createResourceServer({
  resource: input.resource,
  authorizationServers: [ownIssuer],
  jwt: { jwksUri: `${ownIssuer}/jwks` },
  allowHttp: 'loopback',
});
const now = Math.floor(Date.now() / 1000);
const sign = (key: CryptoKey) =>
  new SignJWT({ scope: 'mcp:tools', client_id: 'host-client' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'host-key' })
    .setIssuer(ownIssuer)
    .setAudience(input.resource)
    .setSubject('host-user')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
const signed = await sign(privateKey);
// The same kid, another key: a forged signature.
const forged = await sign((await generateKeyPair('ES256')).privateKey);
const ownDecision = async (token: string) =>
  outcome(
    await own.authorize({
      method: 'GET',
      url: input.resource,
      headers: new Headers({ authorization: `Bearer ${token}` }),
    }),
  );
const hostMinted = { signed: await ownDecision(signed), forged: await ownDecision(forged) };
await jwks.stop();

const challenge = formatWwwAuthenticate([
  { scheme: 'Bearer', params: { resource_metadata: rs.metadataUrl, scope: 'mcp:tools mcp:admin' } },
]);
console.log(
  JSON.stringify({
    host: hostVersion,
    metadata: rs.metadata,
    metadataUrl: rs.metadataUrl,
    metadataUrlFor: metadataUrlFor(input.resource),
    metadataAnswer: rs.handleMetadataRequest({
      method: 'GET',
      url: rs.metadataUrl,
      headers: new Headers(),
    }),
    challenge,
    parsedChallenge: parseWwwAuthenticate(challenge),
    decisions,
    hostMinted,
  }),
);
