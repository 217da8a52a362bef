import type { IncomingMessage, ServerResponse } from 'node:http';
import { createResourceServer } from '@prmkit/core';
import type { ResourceServer, SignedMetadataOptions } from '@prmkit/core';
import { createTestIssuer, listen, readBody } from '@prmkit/testing';
import type { Listening, TestIssuer } from '@prmkit/testing';

/** An issuer whose metadata passes every check (CIMD and RFC 9207 advertised). */
export async function goodIssuer(overrides: Record<string, unknown> = {}): Promise<TestIssuer> {
  return createTestIssuer({
    scope: 'mcp:read',
    metadataOverrides: {
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
      ...overrides,
    },
  });
}

/** A correct MCP-ish server built with @prmkit/core and node:http. */
export interface CoreServer {
  readonly url: string;
  readonly rs: ResourceServer;
  /** Every request to /mcp: method, accept, content type and body. */
  readonly received: { method: string; accept?: string; contentType?: string; body: string }[];
  close(): Promise<void>;
}

export interface CoreServerOptions {
  /**
   * Answer `GET /mcp` with this status, unguarded. 404 or 405: only `POST /mcp` is
   * registered, as in every README quick start (404 where the framework has no such route,
   * 405 where it says so). 200: the mistake of an open GET stream.
   */
  readonly get?: 200 | 404 | 405;
  /** Sign the metadata (RFC 9728 §2.2). */
  readonly signedMetadata?: SignedMetadataOptions;
}

export async function startCoreServer(
  issuer: TestIssuer,
  options: CoreServerOptions = {},
): Promise<CoreServer> {
  const received: CoreServer['received'] = [];
  // The resource names the port, known only once listening.
  const holder: { rs?: ResourceServer } = {};
  const server = await listen(async (req, res) => {
    const rs = holder.rs;
    if (!rs) throw new Error('not ready');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    if (rs.metadataPaths.includes(url.pathname)) {
      const answer = rs.handleMetadataRequest(request);
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (url.pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const text = await readBody(req);
    received.push({
      method: req.method ?? 'GET',
      ...(req.headers.accept === undefined ? {} : { accept: req.headers.accept }),
      ...(req.headers['content-type'] === undefined
        ? {}
        : { contentType: req.headers['content-type'] }),
      body: text,
    });
    if (options.get !== undefined && req.method === 'GET') {
      const headers: Record<string, string> =
        options.get === 405 ? { allow: 'POST' } : { 'content-type': 'text/event-stream' };
      res.writeHead(options.get, headers).end();
      return;
    }
    const body = req.method === 'POST' && text !== '' ? (JSON.parse(text) as unknown) : undefined;
    const decision = await rs.authorize({ ...request, body });
    if (!decision.ok) {
      res.writeHead(decision.status, decision.headers).end(decision.body);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }));
  });
  const rs = createResourceServer({
    resource: `${server.url}/mcp`,
    authorizationServers: [issuer.issuer],
    scopesSupported: ['mcp:read', 'mcp:admin'],
    requiredScopes: ['mcp:read'],
    resourceName: 'Inspector test server',
    jwt: { jwksUri: issuer.jwksUri },
    allowHttp: 'loopback',
    ...(options.signedMetadata ? { signedMetadata: options.signedMetadata } : {}),
  });
  await rs.metadataReady();
  holder.rs = rs;
  return { url: `${server.url}/mcp`, rs, received, close: () => server.close() };
}

/** Knobs of the hand-written server; each one is a single deliberate mistake. */
export interface BrokenOptions {
  readonly issuer: string;
  /** The `resource` member, given the correct one. */
  readonly resource?: (correct: string) => string;
  /** The WWW-Authenticate value of the 401, given the metadata URL; `null` omits it. */
  readonly challenge?: (metadataUrl: string) => string | null;
  /** Members merged over the metadata document. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Where the metadata is served. Default the path-aware location of `/mcp`. */
  readonly metadataPath?: string;
  /** Content type of the metadata. Default `application/json`. */
  readonly metadataContentType?: string;
}

/**
 * A small node:http server that gets everything right unless told otherwise, so that each
 * test introduces exactly one mistake.
 */
export async function startBrokenServer(
  options: BrokenOptions,
): Promise<Listening & { mcpUrl: string }> {
  let origin = '';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const resource = `${origin}/mcp`;
    const metadataPath = options.metadataPath ?? '/.well-known/oauth-protected-resource/mcp';
    const metadataUrl = `${origin}${metadataPath}`;
    if (path === metadataPath) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, OPTIONS',
          'access-control-allow-headers': 'mcp-protocol-version',
        });
        res.end();
        return;
      }
      const document = {
        resource: options.resource ? options.resource(resource) : resource,
        authorization_servers: [options.issuer],
        scopes_supported: ['mcp:read'],
        bearer_methods_supported: ['header'],
        resource_name: 'Broken on purpose',
        ...options.metadata,
      };
      res.writeHead(200, {
        'content-type': options.metadataContentType ?? 'application/json',
        'cache-control': 'max-age=300',
        'access-control-allow-origin': '*',
      });
      res.end(JSON.stringify(document));
      return;
    }
    if (path === '/mcp') {
      const challenge = options.challenge
        ? options.challenge(metadataUrl)
        : `Bearer resource_metadata="${metadataUrl}", scope="mcp:read"`;
      res.writeHead(
        401,
        challenge === null
          ? { 'content-type': 'application/json' }
          : { 'content-type': 'application/json', 'www-authenticate': challenge },
      );
      res.end('{"error":"unauthorized"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  };
  const server = await listen(handler);
  origin = server.url;
  return Object.assign(server, { mcpUrl: `${server.url}/mcp` });
}
