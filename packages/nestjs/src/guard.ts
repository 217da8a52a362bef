import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ResourceServer } from '@prmkit/core';
import { drainBody, guardRequest } from '@prmkit/core/adapter';
import type { BodySource } from '@prmkit/core/adapter';
import { PrmkitAuthException } from './auth-exception.js';
import { PRMKIT_PUBLIC_KEY, PRMKIT_SCOPES_KEY } from './metadata-keys.js';
import { attachAuth, headersOf } from './request-auth.js';
import type { NestHttpRequest } from './request-auth.js';
import { PRMKIT_RESOURCE_SERVER } from './tokens.js';
import { presetHeaders } from './write-response.js';

type Stream = NestHttpRequest & BodySource & { _body?: boolean };

/** The request is a Node stream nobody has read (Express with `bodyParser: false`). */
function unreadStream(request: NestHttpRequest): Stream | undefined {
  const r = request as Partial<Stream> & { readable?: boolean; readableEnded?: boolean };
  const unread = request.body === undefined && r.readable === true && r.readableEnded !== true;
  return unread && r._body !== true && Symbol.asyncIterator in r ? (r as Stream) : undefined;
}

/**
 * Protects routes with `ResourceServer.authorize`: every route unless marked `@Public()`,
 * with the scopes of `@RequireScopes()` (handler overrides controller) on top of the
 * configured `requiredScopes`. On success the verified token is on `request.auth` and
 * `@Auth()`; on failure the core's response is written verbatim (through
 * `PrmkitAuthException` and the module's filter). Non-HTTP contexts (RPC, WebSocket)
 * are refused unless `@Public()`: fail closed.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [PrmkitModule.forRoot(config)],
 *   providers: [{ provide: APP_GUARD, useClass: PrmkitGuard }],
 * })
 * export class AppModule {}
 * ```
 * @see RFC 6750 §3, RFC 9728 §5.1
 */
@Injectable()
export class PrmkitGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(PRMKIT_RESOURCE_SERVER) private readonly resourceServer: ResourceServer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (
      this.reflector.getAllAndOverride<boolean | undefined>(PRMKIT_PUBLIC_KEY, targets) === true
    ) {
      return true;
    }
    if (context.getType() !== 'http') return false;

    const scopes = this.reflector.getAllAndOverride<readonly string[] | undefined>(
      PRMKIT_SCOPES_KEY,
      targets,
    );
    const http = context.switchToHttp();
    const request = http.getRequest<NestHttpRequest & { _body?: boolean }>();
    const result = await guardRequest(
      this.resourceServer,
      {
        method: request.method ?? 'GET',
        // Express rewrites `url` under mounted routers; `originalUrl` is what the client sent.
        url: request.originalUrl ?? request.url ?? '/',
        headers: headersOf(request),
        // Parsed by the platform (JSON, urlencoded): per-tool scopes and RFC 6750 §2.2 form
        // tokens. Else (`bodyParser: false`) the core reads it when a rule needs it.
        parsedBody: request.body,
        unreadBody: unreadStream(request),
        clientAddress: request.ip,
      },
      { scopes: scopes ?? [] },
    );
    const { body } = result;
    if (body.read) {
      request._body = true; // body-parser's flag: the stream is consumed
      if (body.json.ok) request.body = body.json.value;
      if (!body.raw.complete) void drainBody(body.raw);
    }
    if (result.ok) {
      attachAuth(request, result.auth);
      if (body.read && !body.json.ok) {
        throw body.json.reason === 'too_large'
          ? new PayloadTooLargeException()
          : new BadRequestException('invalid JSON body');
      }
      return true;
    }
    // Set the challenge now, so a catch-all filter that wins over ours still sends it.
    const {
      'content-type': _type,
      'content-length': _length,
      ...challengeHeaders
    } = result.answer.headers;
    presetHeaders(http.getResponse<unknown>(), challengeHeaders);
    throw new PrmkitAuthException(result.answer);
  }
}
