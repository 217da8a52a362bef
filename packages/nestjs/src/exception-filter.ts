import { Catch } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { PrmkitAuthException } from './auth-exception.js';
import { writeAnswer } from './write-response.js';

/**
 * Writes a `PrmkitAuthException` exactly as the core produced it, instead of Nest's
 * default exception JSON. Registered globally by `PrmkitModule`.
 *
 * @example
 * ```ts
 * // Only needed when you build your own module instead of PrmkitModule:
 * providers: [{ provide: APP_FILTER, useClass: PrmkitExceptionFilter }]
 * ```
 * @see RFC 6750 §3
 */
@Catch(PrmkitAuthException)
export class PrmkitExceptionFilter implements ExceptionFilter<PrmkitAuthException> {
  catch(exception: PrmkitAuthException, host: ArgumentsHost): void {
    // The guard only throws this for HTTP contexts.
    writeAnswer(host.switchToHttp().getResponse<unknown>(), exception.failure);
  }
}
