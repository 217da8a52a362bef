import { HttpException } from '@nestjs/common';
import type { AuthorizeFailure } from '@prmkit/core';

/**
 * Thrown by `PrmkitGuard` when the core refuses a request. `PrmkitExceptionFilter` (which
 * `PrmkitModule` registers) writes `failure` verbatim: status, every header including
 * `WWW-Authenticate`, and the body. It is an `HttpException` with the same status and
 * body, so another filter that catches it first still answers sensibly.
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
