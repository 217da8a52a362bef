// Character classes from RFC 9110 §5.6 and RFC 6750 §3, as 128-entry lookup tables so
// that every check is a single pass with no regular expression backtracking.

function table(predicate: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = predicate(c) ? 1 : 0;
  return t;
}

const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** RFC 9110 §5.6.2 tchar. */
const TCHAR = table((c) => isAlnum(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));

/** RFC 9110 §11.2 token68 characters, not counting the trailing `=` padding. */
const TOKEN68_CHAR = table((c) => isAlnum(c) || '-._~+/'.includes(String.fromCharCode(c)));

/** RFC 6750 §3 `error` / `error_description`: %x20-21 / %x23-5B / %x5D-7E. */
const NQSCHAR = table((c) => c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c);

/** RFC 6750 §3 `error_uri` and scope-token: %x21 / %x23-5B / %x5D-7E. */
const NQCHAR = table((c) => c >= 0x21 && c <= 0x7e && c !== 0x22 && c !== 0x5c);

/** Printable ASCII %x20-7E: what the formatter allows in other quoted values. */
const PRINTABLE = table((c) => c >= 0x20 && c <= 0x7e);

const inTable = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

export const isTchar = (c: number): boolean => inTable(TCHAR, c);
export const isToken68Char = (c: number): boolean => inTable(TOKEN68_CHAR, c);
export const isNqsChar = (c: number): boolean => inTable(NQSCHAR, c);
export const isNqChar = (c: number): boolean => inTable(NQCHAR, c);
export const isPrintableAscii = (c: number): boolean => inTable(PRINTABLE, c);

/** SP or HTAB (RFC 9110 §5.6.3 OWS / BWS). */
export const isOws = (c: number): boolean => c === 0x20 || c === 0x09;

/** A control character (CTL) other than HTAB: never valid in a header value. */
export const isForbiddenControl = (c: number): boolean => (c < 0x20 && c !== 0x09) || c === 0x7f;

/** RFC 9110 §5.6.2 token: one or more tchar. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

/** RFC 9110 §11.2 token68: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
export function isToken68(s: string): boolean {
  let i = 0;
  while (i < s.length && isToken68Char(s.charCodeAt(i))) i++;
  if (i === 0) return false;
  while (i < s.length && s.charCodeAt(i) === 0x3d) i++;
  return i === s.length;
}

/**
 * ASCII-only lower-casing. `String#toLowerCase` folds some non-ASCII letters onto ASCII
 * ones (U+212A KELVIN SIGN becomes `k`), which must never make two names compare equal.
 */
export function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i];
  }
  return out;
}
