#!/usr/bin/env node
// `node dist/local-token.js <resource> [scope] [issuer]`: prints an access token from a
// running example authorization server, for a local "get a 200" (the package READMEs'
// recipe). Registers a confidential client (RFC 7591) and uses the client credentials
// grant with the RFC 8707 `resource`, so the token's `aud` is exactly <resource>.

const [resource, scope = 'mcp:tools', issuer = process.env.AS_ISSUER ?? 'http://127.0.0.1:9000'] =
  process.argv.slice(2);

const fail = (message: string): never => {
  console.error(`local-token: ${message}`);
  process.exit(1);
};

if (resource === undefined || URL.parse(resource) === null)
  fail('usage: local-token <resource URL, e.g. http://localhost:3000/mcp> [scope] [issuer]');

const getJson = async (url: string, init?: RequestInit): Promise<Record<string, unknown>> => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }).catch(
    (error: unknown) =>
      fail(`cannot reach ${url} (${String(error)}); is the authorization server running?`),
  );
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) fail(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
};

const metadata = await getJson(`${issuer}/.well-known/oauth-authorization-server`);
const client = await getJson(String(metadata['registration_endpoint']), {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    client_name: 'local-token',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  }),
});
const basic = Buffer.from(
  `${encodeURIComponent(String(client['client_id']))}:${encodeURIComponent(String(client['client_secret']))}`,
).toString('base64');
const token = await getJson(String(metadata['token_endpoint']), {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${basic}`,
  },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    resource: String(resource),
    scope,
  }),
});
console.log(String(token['access_token']));
