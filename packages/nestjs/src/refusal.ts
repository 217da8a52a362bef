import { Catch, HttpException } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { AuthorizeFailure } from '@prmkit/core';
import { writeAnswer } from './platform.js';

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
