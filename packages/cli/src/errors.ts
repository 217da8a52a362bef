/**
 * Every code a CLI error carries: `usage_invalid` for a command line it does not
 * understand, `url_invalid` for a URL to inspect that is not an absolute http(s) URL
 * without credentials.
 *
 * @example
 * ```ts
 * import { CLI_ERROR_CODES } from '@prmkit/cli';
 * CLI_ERROR_CODES satisfies readonly ['usage_invalid', 'url_invalid'];
 * ```
 * @see RFC 9728 §1.2 (resource identifiers are https URLs)
 */
export const CLI_ERROR_CODES = ['usage_invalid', 'url_invalid'] as const;

/** A code of the CLI's errors (see {@link CLI_ERROR_CODES}). */
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];
