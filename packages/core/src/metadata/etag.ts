/**
 * A strong entity tag for a fixed body: 64 bits of FNV-1a over the UTF-16 code units.
 * Not a security hash; it only has to change when the document changes, and it must be
 * synchronous so the metadata response can be built once, up front.
 */
export function strongEtag(body: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ body.length;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `"${hex(h1)}${hex(h2)}"`;
}

/**
 * RFC 9110 §13.1.2 If-None-Match: `*` or a list of entity tags, compared weakly
 * (a `W/` prefix is ignored).
 */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  for (const part of header.split(',')) {
    const tag = part.trim().replace(/^W\//, '');
    if (tag === etag) return true;
  }
  return false;
}
