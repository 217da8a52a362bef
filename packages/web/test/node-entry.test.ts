import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createResourceServer as webResourceServer } from '@prmkit/core';
import * as coreNode from '@prmkit/core/node';
import { startFixture, type SuiteFixture } from '@prmkit/adapter-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nodeEntry from '../src/node.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const resolveFor = (conditions: string[]): string =>
  execFileSync(
    process.execPath,
    [
      ...conditions.map((c) => `--conditions=${c}`),
      '--input-type=module',
      '-e',
      "process.stdout.write(import.meta.resolve('@prmkit/web'))",
    ],
    { cwd: here, encoding: 'utf8' },
  );

// The package's own exports map, as Node and other hosts' resolvers see it (built dist).
describe('@prmkit/web entry per host', () => {
  it('Node (a Next.js server, any Node host) gets the node:crypto entry', () => {
    expect(resolveFor([])).toMatch(/\/dist\/node\.js$/);
  });

  it('Bun, Deno, workerd, worker, the Edge runtime and browsers get the Web Crypto entry', () => {
    for (const c of ['bun', 'deno', 'workerd', 'worker', 'edge-light', 'browser']) {
      expect(resolveFor([c]), c).toMatch(/\/dist\/index\.js$/);
    }
  });
});

describe('the node entry', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await startFixture({ start: async () => ({ close: async () => undefined }) });
  });
  afterAll(() => fx?.close());

  it('verifies with node:crypto, and decides as the Web Crypto entry does', async () => {
    const request = async (token: string) =>
      new Request(fx.resource, { headers: { authorization: `Bearer ${token}` } });
    const viaNode = nodeEntry.withPrmkit((_r, auth) => new Response(auth.subject), fx.config);
    const viaWeb = nodeEntry.withPrmkit(
      (_r, auth) => new Response(auth.subject),
      webResourceServer(fx.config),
    );
    const good = await fx.mint({ sub: 'node-user' });
    const forged = await fx.mint({}, { key: 'other' });
    for (const handler of [viaNode, viaWeb]) {
      const ok = await handler(await request(good));
      expect([ok.status, await ok.text()]).toEqual([200, 'node-user']);
      const refused = await handler(await request(forged));
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    // The node entry's resource servers are @prmkit/core/node's (node:crypto signatures).
    expect(nodeEntry.createResourceServer).toBe(coreNode.createResourceServer);
  });
});
