import { decodeBase64url, isCanonicalBase64url } from '../util/base64url.js';
import { isJsonObject } from '../verify/token/http.js';
import type { ReceivedValues } from '../model/authorize-types.js';
import type { AuthInfo } from '../model/types.js';

export const MAX_FACT_LENGTH = 200;
export const MAX_FACT_ITEMS = 10;
const utf8 = new TextDecoder('utf-8', { fatal: false });

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length > MAX_FACT_LENGTH ? `${value.slice(0, MAX_FACT_LENGTH)}…` : value;
}

function list(value: unknown): string[] | undefined {
  const items =
    typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : undefined;
  if (items === undefined) return undefined;
  const out: string[] = [];
  for (const item of items.slice(0, MAX_FACT_ITEMS)) {
    const s = text(item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined || !isCanonicalBase64url(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(decodeBase64url(segment)));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function scopesOf(claims: Record<string, unknown>): string[] | undefined {
  if (typeof claims.scope === 'string') return list(claims.scope.split(' ').filter(Boolean));
  return list(claims.scp);
}

/** The current actor's id, read as `checkActor` reads it: `client_id`, else `sub`. */
function actorOf(claims: Record<string, unknown> | undefined): string | undefined {
  const act = claims?.act;
  if (!isJsonObject(act)) return undefined;
  return text(act.client_id ?? act.sub);
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The values a token presents (see {@link ReceivedValues}); `auth` (after a successful
 * verification) supplies the claims, the JOSE header still comes from the token. An opaque
 * token (introspection) yields only what `auth` has.
 */
export function receivedValues(token: string, auth?: AuthInfo): ReceivedValues {
  const dot = token.indexOf('.');
  const parts = dot > 0 ? token.split('.', 3) : [];
  const header = parts.length === 3 ? decodeSegment(parts[0]) : undefined;
  const claims = auth ? auth.claims : parts.length === 3 ? decodeSegment(parts[1]) : undefined;
  return compact({
    issuer: auth ? text(auth.issuer) : text(claims?.iss),
    audience: auth ? list(auth.audience) : list(claims?.aud),
    scopes: auth ? list(auth.scopes) : claims && scopesOf(claims),
    clientId: auth ? text(auth.clientId) : text(claims?.client_id ?? claims?.azp),
    actor: actorOf(claims),
    typ: text(header?.typ),
    alg: text(header?.alg),
    kid: text(header?.kid),
  });
}
