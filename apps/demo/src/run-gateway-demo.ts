import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import { createAuthFetch } from '@prmkit/client';
import { startServer as startExpress } from '@prmkit/express-server';
import type { ExchangeEvent } from '@prmkit/gateway';
import { startGateway } from '@prmkit/gateway-server';
import { startServer as startHono } from '@prmkit/hono-server';
import { followAuthorizationRedirects, freePort } from '@prmkit/testing';
import { explainError } from './explain-error.js';
import { Reporter, type OutputSink } from './reporter.js';
import { Resources } from './resources.js';
import { createStyle } from './style.js';

/** Options of {@link runGatewayDemo}. */
export interface GatewayDemoOptions {
  readonly out: OutputSink;
  readonly color: boolean;
  readonly signal?: AbortSignal;
}

const REDIRECT_URI = 'http://127.0.0.1:8977/callback';
const GATEWAY_CLIENT = { clientId: 'prmkit-gateway', clientSecret: randomSecret() };

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
}

const describeActor = (actor: unknown): string =>
  typeof actor === 'object' && actor !== null ? JSON.stringify(actor) : 'none';

/**
 * `prmkit demo --gateway`: the local AS with RFC 8693 on, two example MCP servers (Hono and
 * Express, each its own audience), the gateway in front of both, and the MCP SDK client
 * calling `whoami` through each route. Prints every hop: the inbound token's `aud` (the
 * gateway route), the exchanged token's `aud` (the backend) and its `act` (the gateway).
 * Tokens are never printed.
 *
 * @example
 * ```ts
 * const { ok } = await runGatewayDemo({ out: process.stdout, color: false });
 * ```
 * @see RFC 8693 §2, §4.1; MCP 2026-07-28 security considerations (no token passthrough)
 */
export async function runGatewayDemo(options: GatewayDemoOptions): Promise<{ ok: boolean }> {
  const style = createStyle(options.color);
  const reporter = new Reporter(options.out, style);
  const resources = new Resources();
  const s = style;
  reporter.line(
    `${s.bold('prmkit demo --gateway')} ${s.dim('· one front door, two MCP servers, RFC 8693 downstream tokens')}`,
  );
  try {
    reporter.section('Start local services', 'free loopback ports');
    const ports = { files: await freePort(), search: await freePort() };
    const backendResource = (port: number): string => `http://127.0.0.1:${port}/mcp`;
    const as = await startAuthorizationServer({
      port: 0,
      autoApprove: {},
      tokenExchange: {
        clients: [GATEWAY_CLIENT],
        resources: [backendResource(ports.files), backendResource(ports.search)],
      },
    });
    resources.add('the authorization server', () => as.close());
    reporter.ok(
      `authorization server ${s.cyan(as.issuer)} (token exchange for ${GATEWAY_CLIENT.clientId})`,
    );
    const files = await startHono({
      port: ports.files,
      issuer: as.issuer,
      resource: backendResource(ports.files),
      logLevel: 'warn',
    });
    resources.add('the files server', () => files.close());
    const search = await startExpress({
      port: ports.search,
      issuer: as.issuer,
      resource: backendResource(ports.search),
      logLevel: 'warn',
    });
    resources.add('the search server', () => search.close());
    reporter.ok(`files MCP server (Hono)     ${s.cyan(files.resource)}`);
    reporter.ok(`search MCP server (Express) ${s.cyan(search.resource)}`);

    const hops: ExchangeEvent[] = [];
    const gateway = await startGateway({
      port: 0,
      issuer: as.issuer,
      ...GATEWAY_CLIENT,
      backends: [
        {
          name: 'files',
          path: '/files',
          upstream: files.url,
          resource: files.resource,
          scopes: ['mcp:tools'],
        },
        {
          name: 'search',
          path: '/search',
          upstream: search.url,
          resource: search.resource,
          scopes: ['mcp:tools'],
        },
      ],
      onExchange: (event) => hops.push(event),
    });
    resources.add('the gateway', () => gateway.close());
    reporter.ok(`gateway ${s.cyan(gateway.url)} → /files, /search`);

    for (const route of ['files', 'search'] as const) {
      options.signal?.throwIfAborted();
      const url = gateway.routes[route] as string;
      reporter.section(`MCP client → gateway ${route} route`, url);
      const authFetch = createAuthFetch({
        allowHttp: 'loopback',
        redirectUri: REDIRECT_URI,
        openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
        clientMetadata: { client_name: 'prmkit gateway demo' },
      });
      const client = new Client({ name: 'prmkit-gateway-demo', version: '0.0.0' });
      const from = hops.length;
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: authFetch }));
      try {
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
        const who = JSON.parse(content.map((c) => c.text ?? '').join('')) as Record<
          string,
          unknown
        >;
        const mine = hops.slice(from);
        const first = mine[0];
        if (first === undefined) throw new Error('the gateway reported no downstream token');
        reporter.detail(
          'hop 1: client → gateway',
          `inbound aud ${s.cyan(first.inboundAudience.join(' '))}`,
        );
        reporter.detail(
          `hop 2: gateway → ${route}`,
          `exchanged aud ${s.cyan(first.audience.join(' '))}  act ${s.magenta(describeActor(first.actor))}`,
        );
        reporter.detail(
          'exchanges / reuses',
          `${mine.filter((h) => h.source === 'exchange').length} exchange(s), ${mine.filter((h) => h.source === 'cache').length} from the cache`,
        );
        reporter.detail(
          `${route} sees`,
          `subject ${String(who['subject'])}, client ${String(who['clientId'])}`,
        );
        reporter.note(
          'the inbound token never left the gateway: the backend got a token for itself, acting for the user',
        );
      } finally {
        await client.close();
      }
    }
    reporter.line();
    reporter.line(
      `${s.green(s.bold('✔ Done'))} both backends were reached with exchanged tokens only`,
    );
    return { ok: true };
  } catch (error) {
    reporter.mute();
    reporter.final(`\n${s.red(s.bold('✘ Demo failed:'))} ${explainError(error)}`);
    return { ok: false };
  } finally {
    for (const failure of await resources.closeAll()) reporter.final(s.dim(`   (${failure})`));
  }
}
