import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { type AuthInfo } from '@prmkit/core';
import {
  type RunningAuthorizationServer,
  startAuthorizationServer,
} from '@prmkit/authorization-server';
import { listen, type Listening, readBody } from '@prmkit/testing';
import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose';

export const FRONT = 'http://127.0.0.1:4200/files';
export const FILES = 'http://127.0.0.1:4201/mcp';
export const SEARCH = 'http://127.0.0.1:4202/mcp';
export const GATEWAY = { clientId: 'prmkit-gateway', clientSecret: 'gateway-secret-0123456789' };

/** The example AS with RFC 8693 on for the gateway client and two downstreams. */
export function startExchangeAs(
  extra: { accessTokenTtl?: number; jwks?: { keys: Record<string, unknown>[] } } = {},
): Promise<RunningAuthorizationServer> {
  return startAuthorizationServer({
    port: 0,
    ...(extra.accessTokenTtl === undefined ? {} : { accessTokenTtl: extra.accessTokenTtl }),
    tokenExchange: {
      clients: [
        { clientId: GATEWAY.clientId, clientSecret: GATEWAY.clientSecret },
        ...(extra.jwks === undefined ? [] : [{ clientId: 'key-gateway', jwks: extra.jwks }]),
      ],
      resources: [FILES, SEARCH],
    },
  });
}

async function metadata(as: RunningAuthorizationServer): Promise<Record<string, string>> {
  return (await (await fetch(as.metadataUrl)).json()) as Record<string, string>;
}

/**
 * An inbound token as the gateway would have verified it: a real client-credentials JWT of
 * the AS for `resource`, turned into the `AuthInfo` shape.
 */
export async function inboundAuth(
  as: RunningAuthorizationServer,
  scope = 'mcp:tools',
  resource = FRONT,
): Promise<AuthInfo> {
  const meta = await metadata(as);
  const registration = await fetch(meta['registration_endpoint'] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'mcp:tools mcp:admin',
    }),
  });
  const client = (await registration.json()) as Record<string, string>;
  const basic = btoa(`${client['client_id']}:${client['client_secret']}`);
  const response = await fetch(meta['token_endpoint'] as string, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${basic}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`token: ${JSON.stringify(json)}`);
  const token = String(json['access_token']);
  const claims = decodeJwt(token);
  return {
    token,
    subject: claims.sub,
    clientId: claims['client_id'] as string,
    scopes: String(claims['scope'] ?? '')
      .split(' ')
      .filter(Boolean),
    audience: [String(claims.aud)],
    issuer: claims.iss,
    expiresAt: claims.exp,
    claims,
  };
}

/** Verifies a downstream token as the downstream would (the AS's JWKS, exact iss and aud). */
export async function verifyDownstream(
  as: RunningAuthorizationServer,
  token: string,
  audience: string,
): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL((await metadata(as))['jwks_uri'] as string));
  return (await jwtVerify(token, jwks, { issuer: as.issuer, audience, typ: 'at+jwt' })).payload;
}

/** A real upstream HTTP server that records every request's headers and answers 200. */
export interface RecordingUpstream extends Listening {
  readonly seen: { url: string; headers: IncomingHttpHeaders; body: string }[];
}

export async function recordingUpstream(
  answer: (res: ServerResponse) => void = (res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
): Promise<RecordingUpstream> {
  const seen: RecordingUpstream['seen'] = [];
  const server = await listen(async (req, res) => {
    seen.push({ url: req.url ?? '', headers: { ...req.headers }, body: await readBody(req) });
    answer(res);
  });
  return Object.assign(server, { seen });
}
