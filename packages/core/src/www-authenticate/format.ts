import { HeaderValueError } from '../model/errors.js';
import type { Challenge } from './challenge.js';
import {
  asciiLower,
  isForbiddenControl,
  isNqChar,
  isNqsChar,
  isPrintableAscii,
  isToken,
  isToken68,
} from './charsets.js';

/** Describes a code unit for an error message without echoing control characters. */
function describeChar(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}' (${hex})` : hex;
}

type CharRule = { allowed: (c: number) => boolean; rule: string };

const NQS_RULE: CharRule = {
  allowed: isNqsChar,
  rule: 'RFC 6750 §3 allows only %x20-21 / %x23-5B / %x5D-7E',
};
const NQ_RULE: CharRule = {
  allowed: isNqChar,
  rule: 'RFC 6750 §3 allows only %x21 / %x23-5B / %x5D-7E',
};
const PRINTABLE_RULE: CharRule = {
  allowed: isPrintableAscii,
  rule: 'only printable ASCII %x20-7E is written (no control characters, no obs-text)',
};

/**
 * Per-parameter character sets (RFC 6750 §3); names compared lower-cased. A Map, not an
 * object literal, so that names like `__proto__` or `constructor` find no rule.
 */
const PARAM_RULES: ReadonlyMap<string, CharRule> = new Map([
  ['realm', NQS_RULE],
  ['error', NQS_RULE],
  ['error_description', NQS_RULE],
  ['error_uri', NQ_RULE],
]);

/** RFC 6750 §3 parameters whose grammar is `1*(...)`: an empty value is refused. */
const NON_EMPTY = new Set(['error', 'error_description', 'error_uri', 'scope']);

function fail(where: string, why: string): never {
  throw new HeaderValueError(`WWW-Authenticate ${where}: ${why}`);
}

function checkChars(value: string, where: string, { allowed, rule }: CharRule): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!allowed(c)) {
      const kind = isForbiddenControl(c) || c === 0x09 ? 'control character' : 'character';
      fail(where, `${kind} ${describeChar(c)} at index ${i} is not allowed; ${rule}`);
    }
  }
}

/** RFC 6750 §3: scope = scope-token *( SP scope-token ), scope-token = 1*NQCHAR. */
function checkScope(value: string, where: string): void {
  checkChars(value, where, {
    allowed: (c) => c === 0x20 || isNqChar(c),
    rule: 'RFC 6750 §3 scope-tokens use only %x21 / %x23-5B / %x5D-7E',
  });
  if (value.startsWith(' ') || value.endsWith(' ') || value.includes('  ')) {
    fail(where, 'scope must be scope-tokens separated by single spaces (RFC 6750 §3)');
  }
}

function checkParamValue(lowerName: string, value: string, where: string): void {
  if (NON_EMPTY.has(lowerName) && value.length === 0)
    fail(where, 'value must not be empty (RFC 6750 §3)');
  if (lowerName === 'scope') checkScope(value, where);
  else checkChars(value, where, PARAM_RULES.get(lowerName) ?? PRINTABLE_RULE);
}

/** Writes a quoted-string, backslash-escaping `"` and `\` (RFC 9110 §5.6.4). */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function formatChallenge(challenge: Challenge, index: number): string {
  if (typeof challenge !== 'object' || challenge === null)
    fail(`challenge ${index}`, 'not an object');
  const { scheme, params, token68 } = challenge;
  if (typeof scheme !== 'string' || !isToken(scheme)) {
    fail(`challenge ${index} scheme`, 'auth-scheme must be an RFC 9110 token');
  }
  const names = params === undefined ? [] : Object.keys(params);
  if (
    params !== undefined &&
    (typeof params !== 'object' || params === null || Array.isArray(params))
  ) {
    fail(`${scheme} challenge`, 'params must be a plain object of strings');
  }

  if (token68 !== undefined) {
    if (names.length > 0)
      fail(`${scheme} challenge`, 'token68 and params are mutually exclusive (RFC 9110 §11.2)');
    if (typeof token68 !== 'string' || !isToken68(token68)) {
      fail(
        `${scheme} challenge token68`,
        'must match 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="',
      );
    }
    return `${scheme} ${token68}`;
  }
  if (names.length === 0) return scheme;

  const seen = new Set<string>();
  const parts: string[] = [];
  for (const name of names) {
    const where = `parameter "${isToken(name) ? name : encodeURIComponent(name)}"`;
    if (!isToken(name)) fail(where, 'parameter name must be an RFC 9110 token');
    const lower = asciiLower(name);
    // RFC 6750 §3: attributes MUST NOT appear more than once; names are case-insensitive.
    if (seen.has(lower)) fail(where, 'appears more than once (names are case-insensitive)');
    seen.add(lower);
    const value: unknown = (params as Record<string, unknown>)[name];
    if (typeof value !== 'string') fail(where, 'value must be a string');
    checkParamValue(lower, value, where);
    parts.push(`${name}=${quote(value)}`);
  }
  return `${scheme} ${parts.join(', ')}`;
}

/**
 * Writes challenges as one `WWW-Authenticate` field value: challenges joined by `, `,
 * parameters in the order given, every value as a quoted-string.
 *
 * It refuses, with a {@link HeaderValueError} naming the parameter, anything that would
 * give a broken or injectable header:
 * - a scheme or parameter name that is not an RFC 9110 token, duplicate names
 *   (case-insensitive), `token68` together with params, an empty challenge list;
 * - any control character anywhere (CR, LF, NUL, HTAB, DEL, ...) and any character above
 *   %x7E: obs-text is refused rather than written, so values stay plain ASCII;
 * - `realm`, `error`, `error_description` outside %x20-21 / %x23-5B / %x5D-7E,
 *   `error_uri` outside %x21 / %x23-5B / %x5D-7E, and a `scope` that is not non-empty
 *   scope-tokens separated by single spaces (RFC 6750 §3). These never contain `"` or `\`.
 *
 * Other parameters (`resource_metadata`, DPoP `algs`, ...) may contain `"` and `\`, which
 * are backslash-escaped inside the quoted-string.
 *
 * @example
 * ```ts
 * formatWwwAuthenticate([
 *   { scheme: 'Bearer', params: { resource_metadata: 'https://api.example.com/.well-known/oauth-protected-resource', scope: 'files:read' } },
 *   { scheme: 'DPoP', params: { algs: 'ES256 PS256' } },
 * ]);
 * // 'Bearer resource_metadata="https://api.example.com/.well-known/oauth-protected-resource", scope="files:read", DPoP algs="ES256 PS256"'
 * ```
 * @throws {HeaderValueError} code `header_value_invalid`, when a value cannot be written safely.
 * @see RFC 9110 §11.6.1
 * @see RFC 6750 §3
 * @see RFC 9728 §5.1
 */
export function formatWwwAuthenticate(challenges: readonly Challenge[]): string {
  if (!Array.isArray(challenges)) fail('challenges', 'must be an array');
  if (challenges.length === 0)
    fail('challenges', 'at least one challenge is required (RFC 9110 §11.6.1)');
  return challenges.map((c, i) => formatChallenge(c, i)).join(', ');
}
