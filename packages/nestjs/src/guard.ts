import { BadRequestException, Catch, HttpException, Inject, Injectable } from '@nestjs/common';
import { PayloadTooLargeException } from '@nestjs/common';
import type { ArgumentsHost, CanActivate, ExceptionFilter, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthorizeFailure, ResourceServer, ResourceServerSet } from '@prmkit/core';
import { guardRequest, unreadNodeStream } from '@prmkit/core/adapter';
import { coreRequest, presetHeaders, writeAnswer, type NestHttpRequest } from './platform.js';
import { PRMKIT_PUBLIC_KEY, PRMKIT_RESOURCE_SERVER, PRMKIT_SCOPES_KEY } from './tokens.js';

/**
 * Thrown by `PrmkitGuard` when the core refuses a request; `PrmkitExceptionFilter` writes
 * `failure` verbatim. Another filter that catches it first still sees the status and body.
 *
 * @example
 * ```ts
 * if (exception instanceof PrmkitAuthException) log(exception.failure.error.code);
 * ```
 * @see RFC 6750 §3 (the challenge), RFC 9728 §5.1 (resource_metadata)
 */
export class PrmkitAuthException extends HttpException {
  /** The core's refusal, written as-is. Never contains the token. */
  readonly failure: AuthorizeFailure;

  constructor(failure: AuthorizeFailure) {
    // The core's body is always a JSON object ({ error, error_description }).
    super(JSON.parse(failure.body) as object, failure.status, { cause: failure.error });
    this.name = 'PrmkitAuthException';
    this.failure = failure;
  }
}

/**
 * Writes a `PrmkitAuthException` exactly as the core produced it (status, every header,
 * body), instead of Nest's default JSON. `PrmkitModule` registers it globally.
 *
 * @example
 * ```ts
 * providers: [{ provide: APP_FILTER, useClass: PrmkitExceptionFilter }] // without PrmkitModule
 * ```
 * @see RFC 6750 §3
 */
@Catch(PrmkitAuthException)
export class PrmkitExceptionFilter implements ExceptionFilter<PrmkitAuthException> {
  catch(exception: PrmkitAuthException, host: ArgumentsHost): void {
    writeAnswer(host.switchToHttp().getResponse<unknown>(), exception.failure); // HTTP only
  }
}

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
    @Inject(PRMKIT_RESOURCE_SERVER)
    private readonly resourceServer: ResourceServer | ResourceServerSet,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PRMKIT_PUBLIC_KEY, targets) === true) return true;
    if (context.getType() !== 'http') return false;
    const scopes = this.reflector.getAllAndOverride<string[]>(PRMKIT_SCOPES_KEY, targets) ?? [];
    const http = context.switchToHttp();
    const request = http.getRequest<NestHttpRequest & { _body?: boolean }>();
    // The platform's parsed body, else (bodyParser: false) the stream, read if a rule needs it.
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
