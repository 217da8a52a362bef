import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { prmkit } from '@prmkit/hono';
import { handWrittenGuard } from '../jose-guard.mjs';
import { METADATA_HEADERS, prmkitInput, STATIC_PATH } from './common.mjs';

/** @param {import('./common.mjs').AppEnv} env */
export async function honoApp(env) {
  const app = new Hono();
  const ok = (c) => c.json({ ok: true });
  switch (env.variant) {
    case 'none':
      app.get('/mcp', ok);
      break;
    case 'noop':
      // The floor for any guard: one middleware that sets a variable and calls next().
      app.get(
        '/mcp',
        async (c, next) => {
          c.set('auth', null);
          await next();
        },
        ok,
      );
      break;
    case 'prmkit':
    case 'prmkit-miss': {
      const prm = prmkit(prmkitInput(env));
      app.get('/mcp', prm.requireAuth(), ok);
      break;
    }
    case 'mcp-none':
    case 'mcp-prmkit': {
      // The handler reads the body itself (as the MCP SDK does from c.req.raw).
      const handler = async (c) => c.json({ ok: true, name: (await c.req.json()).params.name });
      if (env.variant === 'mcp-none') app.post('/mcp', handler);
      else app.post('/mcp', prmkit(prmkitInput(env)).requireAuth(), handler);
      break;
    }
    case 'jose':
    case 'minimal': {
      const guard = await handWrittenGuard(env);
      app.get(
        '/mcp',
        async (c, next) => {
          const payload = await guard(c.req.header('authorization'));
          if (!payload) return c.body(null, 401, { 'www-authenticate': 'Bearer' });
          c.set('auth', payload);
          await next();
        },
        ok,
      );
      break;
    }
    case 'metadata': {
      const prm = prmkit(prmkitInput(env));
      app.use(prm.metadata);
      break;
    }
    case 'static': {
      const body = JSON.stringify(env.staticMetadata);
      app.get(STATIC_PATH, (c) => c.body(body, 200, { 'content-type': 'application/json' }));
      break;
    }
    case 'static-headers': {
      const body = JSON.stringify(env.staticMetadata);
      app.get(STATIC_PATH, (c) => c.body(body, 200, METADATA_HEADERS));
      break;
    }
    default:
      throw new Error(`hono: unknown variant ${env.variant}`);
  }
  return {
    /** @param {number} port */
    listen: (port) =>
      new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
          resolve(server),
        );
      }),
  };
}
