import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toResourceServers } from '../src/adapter.js';
import {
  createResourceServer,
  createResourceServerSet,
  type ResourceServerConfig,
} from '../src/index.js';
import { isResourceServer, isResourceServerSet } from '../src/adapter.js';
import { createResourceServerSet as createNodeSet } from '../src/node/index.js';

const ORIGIN = 'http://127.0.0.1:1';
const WK = '/.well-known/oauth-protected-resource';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());

const member = (path: string, extra: Partial<ResourceServerConfig> = {}): ResourceServerConfig => ({
  resource: `${ORIGIN}${path}`,
  authorizationServers: [issuer.issuer],
  jwt: { jwksUri: issuer.jwksUri },
  allowHttp: 'loopback',
  ...extra,
});

const get = (url: string, token?: string) => ({
  method: 'GET',
  url,
  headers: token ? { authorization: `Bearer ${token}` } : {},
});

describe('createResourceServerSet: metadata (RFC 9728 §3.1)', () => {
  it('serves each member at its own path-aware URL and nothing at the root by default', () => {
    const set = createResourceServerSet([member('/github/mcp'), member('/jira/mcp')]);
    expect(set.metadataPaths).toEqual([`${WK}/github/mcp`, `${WK}/jira/mcp`]);
    for (const rs of set.resourceServers) {
      const answer = set.handleMetadataRequest(get(rs.metadataPath));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ resource: rs.resource });
    }
    expect(set.handleMetadataRequest(get(WK)).status).toBe(404);
    expect(set.handleMetadataRequest(get(`${WK}/other`)).status).toBe(404);
    expect(set.handleMetadataRequest({ ...get(`${WK}/jira/mcp`), method: 'DELETE' }).status).toBe(
      405,
    );
  });

  it('gives the root URL to the member marked serveRootMetadata, or to a root resource', () => {
    const marked = createResourceServerSet([
      member('/github/mcp'),
      member('/jira/mcp', { serveRootMetadata: true }),
    ]);
    expect(JSON.parse(marked.handleMetadataRequest(get(WK)).body)).toMatchObject({
      resource: `${ORIGIN}/jira/mcp`,
    });
    const rooted = createResourceServerSet([member('/github/mcp'), member('')]);
    expect(JSON.parse(rooted.handleMetadataRequest(get(WK)).body)).toMatchObject({
      resource: ORIGIN,
    });
  });

  it('refuses clashes as a configuration error, naming both members', () => {
    const clash = (configs: ResourceServerConfig[]) => {
      try {
        createResourceServerSet(configs);
      } catch (error) {
        return error as { code: string; issues: { path: string; message: string }[] };
      }
      throw new Error('no error');
    };
    const twoRoots = clash([
      member('/a', { serveRootMetadata: true }),
      member('/b', { serveRootMetadata: true }),
    ]);
    expect(twoRoots.code).toBe('config_invalid');
    expect(twoRoots.issues[0]).toMatchObject({ path: 'resources.1' });
    expect(twoRoots.issues[0]?.message).toContain('resources.0');
    expect(clash([member(''), member('/b', { serveRootMetadata: true })]).issues).toHaveLength(1);
    expect(clash([member('/mcp'), member('/mcp')]).issues.length).toBeGreaterThan(0);
    expect(clash([member('/mcp'), member('/MCP')]).issues[0]?.path).toBe('resources.1.resource');
    // each member's own config problems, by path
    expect(clash([member('/a'), member('/b', { authorizationServers: [] })]).issues[0]?.path).toBe(
      'resources.1.authorizationServers',
    );
    expect(() => createResourceServerSet([])).toThrowError(/at least one resource/);
  });
});

describe('createResourceServerSet: which resource decides', () => {
  const set = () =>
    createResourceServerSet([member('/github/mcp'), member('/jira/mcp'), member('/')]);

  it('picks the longest segment-wise prefix; the root resource owns the rest', () => {
    const s = set();
    const owner = (url: string) => s.resourceFor(url)?.resource;
    expect(owner('/github/mcp')).toBe(`${ORIGIN}/github/mcp`);
    expect(owner('/github/mcp/')).toBe(`${ORIGIN}/github/mcp`);
    expect(owner('/github/mcp/sub?x=1')).toBe(`${ORIGIN}/github/mcp`);
    expect(owner(`${ORIGIN}/jira/mcp`)).toBe(`${ORIGIN}/jira/mcp`);
    expect(owner('/github/mcpx')).toBe(`${ORIGIN}/`);
    expect(owner('/%67ithub/mcp')).toBe(`${ORIGIN}/github/mcp`); // %67 = g (unreserved)
    expect(owner('/x/../jira/mcp')).toBe(`${ORIGIN}/jira/mcp`);
    // a leading `//` is a path, never an authority that would drop its first segment
    expect(owner('//x/%67ithub/mcp')).toBe(`${ORIGIN}/`);
    // Express matches routes case-insensitively: /GITHUB/mcp may reach the github route,
    // so the root resource must not decide it.
    expect(owner('/GITHUB/mcp')).toBeUndefined();
  });

  it('has no owner without a root resource', () => {
    const s = createResourceServerSet([member('/github/mcp')]);
    expect(s.resourceFor('/public')).toBeUndefined();
  });

  it("refuses one resource's token at another (audience_mismatch), accepts its own", async () => {
    const s = set();
    const jiraToken = await issuer.mint({ aud: `${ORIGIN}/jira/mcp` });
    const own = await s.authorize(get('/jira/mcp', jiraToken));
    expect(own.ok).toBe(true);
    const other = await s.authorize(get('/github/mcp', jiraToken));
    expect(other).toMatchObject({ ok: false, status: 401 });
    if (other.ok) return;
    expect(other.error.code).toBe('audience_mismatch');
    expect(other.headers['www-authenticate']).toContain(
      `resource_metadata="${ORIGIN}${WK}/github/mcp"`,
    );
  });

  it('challenges with the owner metadata URL and answers 404 where no member owns the path', async () => {
    const s = createResourceServerSet([member('/github/mcp'), member('/jira/mcp')]);
    const missing = await s.authorize(get('/jira/mcp'));
    expect(missing.ok || missing.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${ORIGIN}${WK}/jira/mcp"`,
    );
    const nowhere = s.authorizeNow(
      get('/elsewhere', await issuer.mint({ aud: `${ORIGIN}/jira/mcp` })),
    );
    expect(nowhere).not.toBeInstanceOf(Promise); // decided without I/O
    expect(nowhere).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'resource_not_found' },
    });
    expect(nowhere).not.toHaveProperty(['headers', 'www-authenticate']);
  });

  it('reads a body only for the owner that has tool scopes', () => {
    const s = createResourceServerSet([
      member('/github/mcp', { toolScopes: { create_issue: ['mcp:github:write'] } }),
      member('/jira/mcp'),
    ]);
    expect(s.needsBody('POST', 'application/json', '/github/mcp')).toBe(true);
    expect(s.needsBody('POST', 'application/json', '/jira/mcp')).toBe(false);
    expect(s.needsBody('POST', 'application/json', '/nowhere')).toBe(false);
    expect(s.needsBody('POST', 'application/json')).toBe(false);
  });
});

describe('toResourceServers', () => {
  it('builds a set from an array, one server from a config, passes built ones through', () => {
    const set = toResourceServers([member('/a')]);
    expect(isResourceServerSet(set)).toBe(true);
    expect(toResourceServers(set)).toBe(set);
    const rs = createResourceServer(member('/a'));
    expect(toResourceServers(rs)).toBe(rs);
    expect(isResourceServer(toResourceServers(member('/a')))).toBe(true);
    expect(isResourceServerSet(createNodeSet([member('/a')]))).toBe(true);
  });
});
