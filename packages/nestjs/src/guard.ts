import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestLike, ResourceServer } from '@prmkit/core';
import { PrmkitAuthException } from './auth-exception.js';
import { PRMKIT_PUBLIC_KEY, PRMKIT_SCOPES_KEY } from './metadata-keys.js';
import { hasUnreadBody, isJsonPost, readJsonBody } from './read-json-body.js';
import type { JsonBody } from './read-json-body.js';
import { attachAuth, headersOf } from './request-auth.js';
import type { NestHttpRequest } from './request-auth.js';
import { PRMKIT_RESOURCE_SERVER } from './tokens.js';
import { presetHeaders } from './write-response.js';

function toRequestLike(request: NestHttpRequest): RequestLike {
  return {
    method: request.method ?? 'GET',
    // Express rewrites `url` under mounted routers; `originalUrl` is what the client sent.
    url: request.originalUrl ?? request.url ?? '/',
    headers: headersOf(request),
    // Parsed by the platform (JSON, urlencoded): lets the core apply per-tool scopes and
    // RFC 6750 §2.2 form tokens. Left as-is, so handlers still see it.
    body: request.body,
  };
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
    const request = http.getRequest<NestHttpRequest>();
    let parsed: JsonBody | undefined;
    if (request.body === undefined && isJsonPost(request) && hasUnreadBody(request)) {
      // The platform's parser is off (`bodyParser: false`): read the JSON ourselves so
      // per-tool scopes can be decided, and keep it on request.body for the handler.
      parsed = await readJsonBody(request);
      request._body = true;
      if (parsed.ok) request.body = parsed.value;
    }
    const result = await this.resourceServer.authorize(
      toRequestLike(request),
      scopes ? { scopes } : {},
    );
    if (result.ok) {
      attachAuth(request, result.auth);
      if (parsed && !parsed.ok) {
        throw parsed.reason === 'too_large'
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
    } = result.headers;
    presetHeaders(http.getResponse<unknown>(), challengeHeaders);
    throw new PrmkitAuthException(result);
  }
}
