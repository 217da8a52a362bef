import type { Challenge } from './challenge.js';
import { asciiLower, isForbiddenControl, isOws, isTchar, isToken68Char } from './charsets.js';

/**
 * Longest `WWW-Authenticate` value {@link parseWwwAuthenticate} reads (64 KiB), in UTF-16
 * code units, counting `, ` between field lines. Longer input gives `[]` rather than a
 * truncated (and possibly misleading) parse.
 *
 * @example
 * ```ts
 * parseWwwAuthenticate(`Bearer realm="${'x'.repeat(MAX_WWW_AUTHENTICATE_LENGTH)}"`); // []
 * ```
 * @see RFC 9110 §11.6.1
 */
export const MAX_WWW_AUTHENTICATE_LENGTH = 64 * 1024;
/**
 * Challenges {@link parseWwwAuthenticate} keeps from one header; later ones are ignored.
 *
 * @example
 * ```ts
 * const header = Array.from({ length: 150 }, () => 'Bearer').join(', ');
 * parseWwwAuthenticate(header).length; // MAX_CHALLENGES (100)
 * ```
 * @see RFC 9110 §11.6.1
 */
export const MAX_CHALLENGES = 100;
/**
 * Parameters {@link parseWwwAuthenticate} keeps per challenge; later ones are ignored.
 *
 * @example
 * ```ts
 * const params = Array.from({ length: 1200 }, (_, i) => `p${i}=1`).join(', ');
 * Object.keys(parseWwwAuthenticate(`Bearer ${params}`)[0]!.params).length; // 1000
 * ```
 * @see RFC 9110 §11.6.1
 */
export const MAX_PARAMS_PER_CHALLENGE = 1000;

const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Draft {
  scheme: string;
  params: Map<string, string>;
  token68?: string;
}

/** Result of reading a parameter value; `value: null` means malformed. */
interface ValueScan {
  end: number;
  value: string | null;
  /** The scan stopped inside an unfinished quoted-string. */
  inQuote: boolean;
}

function skipOws(s: string, i: number): number {
  while (i < s.length && isOws(s.charCodeAt(i))) i++;
  return i;
}

function scanToken(s: string, i: number): number {
  while (i < s.length && isTchar(s.charCodeAt(i))) i++;
  return i;
}

/** End of a token68 starting at `i`, or -1 if there is none. */
function scanToken68(s: string, i: number): number {
  let j = i;
  while (j < s.length && isToken68Char(s.charCodeAt(j))) j++;
  if (j === i) return -1;
  while (j < s.length && s.charCodeAt(j) === EQUALS) j++;
  return j;
}

/** quoted-string (RFC 9110 §5.6.4) starting at the opening DQUOTE at `i`. */
function scanQuoted(s: string, i: number): ValueScan {
  let out = '';
  let chunk = i + 1;
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === DQUOTE) return { end: j + 1, value: out + s.slice(chunk, j), inQuote: false };
    if (c === BACKSLASH) {
      if (j + 1 >= s.length) break;
      // A quoted-pair may not smuggle a control character either.
      if (isForbiddenControl(s.charCodeAt(j + 1)))
        return { end: j + 2, value: null, inQuote: true };
      out += s.slice(chunk, j) + s.charAt(j + 1);
      j += 2;
      chunk = j;
      continue;
    }
    if (isForbiddenControl(c)) return { end: j + 1, value: null, inQuote: true };
    j++;
  }
  return { end: s.length, value: null, inQuote: true };
}

/** `token / quoted-string` at `i`. */
function scanValue(s: string, i: number): ValueScan {
  if (i < s.length && s.charCodeAt(i) === DQUOTE) return scanQuoted(s, i);
  const end = scanToken(s, i);
  return { end, value: end === i ? null : s.slice(i, end), inQuote: false };
}

/** Skips a malformed list element: to the next comma outside a quoted-string, or the end. */
function skipElement(s: string, i: number, inQuote: boolean): number {
  let quoted = inQuote;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === DQUOTE) quoted = false;
    } else if (c === COMMA) {
      return i;
    } else if (c === DQUOTE) {
      quoted = true;
    }
    i++;
  }
  return s.length;
}

/**
 * The parser's state, carried across field lines so that a challenge may continue on the
 * next line (RFC 9110 §5.3: lines combine as if joined by `, `), while a quoted-string
 * never does: an unclosed quote ends at its own line.
 */
class ChallengeListParser {
  readonly drafts: Draft[] = [];
  /** Challenge that bare parameters attach to; null when they cannot be attributed. */
  private current: Draft | null = null;
  /** Set when the challenge cap is reached: everything after is ignored. */
  private full = false;

  parseLine(s: string): void {
    const n = s.length;
    let i = 0;
    while (i < n && !this.full) {
      // #rule: empty elements and OWS around commas are allowed.
      while (i < n && (isOws(s.charCodeAt(i)) || s.charCodeAt(i) === COMMA)) i++;
      if (i >= n) break;

      const nameEnd = scanToken(s, i);
      if (nameEnd === i) {
        i = skipElement(s, i, false);
        continue;
      }
      const afterName = skipOws(s, nameEnd);

      if (afterName < n && s.charCodeAt(afterName) === EQUALS) {
        // auth-param = token BWS "=" BWS ( token / quoted-string )
        const v = scanValue(s, skipOws(s, afterName + 1));
        if (v.value === null) {
          i = skipElement(s, v.end, v.inQuote);
          continue;
        }
        const end = skipOws(s, v.end);
        if (end < n && s.charCodeAt(end) !== COMMA) {
          i = skipElement(s, end, false);
          continue;
        }
        this.addParam(s.slice(i, nameEnd), v.value);
        i = end;
        continue;
      }

      // A token not followed by "=" starts a new challenge: auth-scheme [ 1*SP ... ].
      if (nameEnd < n && s.charCodeAt(nameEnd) !== COMMA && !isOws(s.charCodeAt(nameEnd))) {
        this.current = null;
        i = skipElement(s, nameEnd, false);
        continue;
      }
      if (this.drafts.length >= MAX_CHALLENGES) {
        this.full = true;
        break;
      }
      const draft: Draft = { scheme: s.slice(i, nameEnd), params: new Map() };
      this.drafts.push(draft);
      this.current = draft;
      i = afterName;
      if (i >= n || s.charCodeAt(i) === COMMA) continue;

      // token68 and auth-params cannot be confused: a param needs a value after "=",
      // a token68 is followed only by OWS and then a comma or the end.
      const t68End = scanToken68(s, i);
      if (t68End !== -1) {
        const after = skipOws(s, t68End);
        if (after >= n || s.charCodeAt(after) === COMMA) {
          draft.token68 = s.slice(i, t68End);
          this.current = null; // params never follow a token68
          i = after;
          continue;
        }
      }
      // Otherwise the first element must be an auth-param; the loop reads it next.
      const pEnd = scanToken(s, i);
      const pAfter = skipOws(s, pEnd);
      if (pEnd === i || pAfter >= n || s.charCodeAt(pAfter) !== EQUALS) {
        i = skipElement(s, i, false);
      }
    }
  }

  private addParam(name: string, value: string): void {
    const draft = this.current;
    if (draft === null || draft.params.size >= MAX_PARAMS_PER_CHALLENGE) return;
    const key = asciiLower(name);
    if (!draft.params.has(key)) draft.params.set(key, value); // duplicates: first wins
  }
}

function toChallenge(d: Draft): Challenge {
  const c: Challenge = { scheme: d.scheme, params: Object.fromEntries(d.params) };
  if (d.token68 !== undefined) c.token68 = d.token68;
  return c;
}

function fieldLines(header: unknown): string[] | null {
  if (typeof header === 'string') return [header];
  if (!Array.isArray(header)) return null;
  const lines: string[] = [];
  for (const line of header as unknown[]) if (typeof line === 'string') lines.push(line);
  return lines;
}

/**
 * Reads every challenge from one or more `WWW-Authenticate` field values (RFC 9110
 * §11.6.1): several challenges per line and across lines, `#` lists with empty elements
 * and OWS, `token BWS "=" BWS ( token / quoted-string )` params with backslash escapes,
 * and token68 (`Basic dXNlcjpwYXNz`). Schemes keep their spelling; parameter names are
 * lower-cased; for a duplicate parameter the first value wins.
 *
 * Lenient where it is safe, never throws, linear time (one left-to-right scan):
 * - Any non-string input gives `[]`; non-string array items are ignored.
 * - Input longer than 64 KiB ({@link MAX_WWW_AUTHENTICATE_LENGTH} code units, lines
 *   counted as joined by `, `) is rejected with `[]`, not truncated: a cut could turn a
 *   `resource_metadata` URL or a `scope` into a different, shorter, valid-looking value.
 * - At most {@link MAX_CHALLENGES} challenges and {@link MAX_PARAMS_PER_CHALLENGE}
 *   params per challenge are kept; extras are ignored.
 * - A malformed list element (bad characters, unclosed quote, a control character inside
 *   a quoted-string, params after a token68) is skipped up to the next comma outside
 *   quotes; well-formed challenges and params around it are kept. An unclosed quote
 *   swallows the rest of its line only. Params before any challenge, or after a
 *   malformed scheme, are dropped rather than attributed to the wrong challenge.
 *
 * @example
 * ```ts
 * const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
 * const bearer = findChallenge(challenges, 'bearer');
 * bearer?.params.resource_metadata; // 'https://api.example.com/.well-known/oauth-protected-resource'
 * ```
 * @see RFC 9110 §11.6.1
 * @see RFC 6750 §3
 * @see RFC 9728 §5.1
 */
export function parseWwwAuthenticate(
  header: string | readonly string[] | null | undefined,
): Challenge[] {
  try {
    const lines = fieldLines(header);
    if (lines === null || lines.length === 0) return [];
    let total = 2 * (lines.length - 1);
    for (const line of lines) total += line.length;
    if (total > MAX_WWW_AUTHENTICATE_LENGTH) return [];
    const parser = new ChallengeListParser();
    for (const line of lines) parser.parseLine(line);
    return parser.drafts.map(toChallenge);
  } catch {
    // Only reachable through exotic inputs (a Proxy posing as an array); the contract
    // is "never throws", and no challenge is the fail-closed answer.
    return [];
  }
}
