import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ResourceServer } from '@prmkit/core';
import { guardRequest, unreadNodeStream } from '@prmkit/core/adapter';
import { coreRequest, presetHeaders, type NestHttpRequest } from './platform.js';
import { PrmkitAuthException } from './refusal.js';
import { PRMKIT_PUBLIC_KEY, PRMKIT_RESOURCE_SERVER, PRMKIT_SCOPES_KEY } from './tokens.js';

/**
 * Protects routes with `ResourceServer.authorize`: every route unless `@Public()`, with the
 * scopes of `@RequireScopes()` on top of the configured `requiredScopes`. On success the
 * token is on `request.auth` and `@Auth()`; on failure the core's answer is written verbatim
 * (`PrmkitAuthException` and the module's filter). Non-HTTP contexts (RPC, WebSocket) are
 * refused unless `@Public()`: fail closed.
 *
 * @example
 * ```ts
 * @Module({ imports: [PrmkitModule.forRoot(config)], providers: [{ provide: APP_GUARD, useClass: PrmkitGuard }] })
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
    if (this.reflector.getAllAndOverride<boolean>(PRMKIT_PUBLIC_KEY, targets) === true) return true;
    if (context.getType() !== 'http') return false;
    const scopes = this.reflector.getAllAndOverride<string[]>(PRMKIT_SCOPES_KEY, targets) ?? [];
    const http = context.switchToHttp();
    const request = http.getRequest<NestHttpRequest & { _body?: boolean }>();
    // The body as the platform parsed it (JSON, urlencoded: per-tool scopes, RFC 6750 §2.2
    // form tokens), else (`bodyParser: false`) the stream, read by the core when a rule needs it.
    const unreadBody = request.body === undefined ? unreadNodeStream(request) : undefined;
    const req = { ...coreRequest(request), parsedBody: request.body, unreadBody };
    const result = await guardRequest(this.resourceServer, req, { scopes });
    const { body } = result;
    if (body.read) {
      request._body = true; // body-parser's flag: the stream is consumed
      if (body.json.ok) request.body = body.json.value;
    }
    if (!result.ok) {
      // Set the challenge now, so a catch-all filter that wins over ours still sends it.
      const { 'content-type': _type, ...challenge } = result.answer.headers;
      presetHeaders(http.getResponse<unknown>(), challenge);
      throw new PrmkitAuthException(result.answer);
    }
    request.auth = result.auth; // what the MCP SDK's transports read; on Fastify, raw too
    if (request.raw) request.raw.auth = result.auth;
    if (!body.read || body.json.ok) return true;
    throw body.json.reason === 'too_large'
      ? new PayloadTooLargeException()
      : new BadRequestException('invalid JSON body');
  }
}
