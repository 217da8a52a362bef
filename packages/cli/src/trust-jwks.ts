import { readFile } from 'node:fs/promises';
import type { TrustedSignerKeys } from '@prmkit/client';
import { UsageError } from './args.js';

/** Largest JWKS file read, bytes. */
const MAX_JWKS_FILE = 256 * 1024;

/**
 * `--trust-jwks`: an http(s) URL is kept as a URL (fetched with the inspector's rules), any
 * other value is a file holding a JWKS (`{ "keys": [...] }`) or a single public JWK.
 *
 * @throws UsageError when the file cannot be read or holds no JWKS.
 */
export async function loadTrustedJwks(
  value: string | undefined,
): Promise<TrustedSignerKeys | undefined> {
  if (value === undefined) return undefined;
  if (/^https?:\/\//i.test(value)) return value;
  let text: string;
  try {
    const bytes = await readFile(value);
    if (bytes.length > MAX_JWKS_FILE) throw new Error(`larger than ${MAX_JWKS_FILE} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    throw new UsageError(`--trust-jwks ${value}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--trust-jwks ${value}: not JSON`);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    if (Array.isArray(o['keys'])) return { keys: o['keys'] as never[] };
    if (typeof o['kty'] === 'string') {
      if ('d' in o)
        throw new UsageError(`--trust-jwks ${value}: a private key; give the public one`);
      return { keys: [o as never] };
    }
  }
  throw new UsageError(`--trust-jwks ${value}: not a JWKS ({ "keys": [...] }) or a JWK`);
}
