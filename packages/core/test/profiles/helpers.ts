import type { IdpKeysStandIn } from '@prmkit/testing';
import {
  type AuthInfo,
  type AuthorizeDecision,
  createResourceServer,
  type ResourceServerConfig,
} from '../../src/index.js';
import { type ProfileFragment } from '../../src/profiles/profile-fragment.js';

export const RESOURCE = 'https://mcp.example.com/mcp';
export const now = (): number => Math.floor(Date.now() / 1000);

/** A resource server for `fragment`, its keys fetched through the stand-in's `fetch`. */
export function serverFor(
  fragment: ProfileFragment,
  standIn?: Pick<IdpKeysStandIn, 'fetch'>,
  extra: Partial<ResourceServerConfig> = {},
) {
  const decisions: AuthorizeDecision[] = [];
  const rs = createResourceServer({
    resource: RESOURCE,
    ...fragment,
    ...(standIn && { fetch: standIn.fetch }),
    httpTimeout: 2000,
    onDecision: (d) => decisions.push(d),
    ...extra,
  });
  /** 'ok' and the AuthInfo, or the refusal's code. */
  const decide = async (token: string): Promise<{ code: string; auth?: AuthInfo }> => {
    const r = await rs.authorize({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${token}` },
    });
    return r.ok ? { code: 'ok', auth: r.auth } : { code: r.error.code };
  };
  return { rs, decisions, decide };
}
