import Fastify from 'fastify';
import { prmkitPlugin } from '@prmkit/fastify';
import { handWrittenGuard } from '../jose-guard.mjs';
import { METADATA_HEADERS, prmkitInput, STATIC_PATH } from './common.mjs';

/** @param {import('./common.mjs').AppEnv} env */
export async function fastifyApp(env) {
  const app = Fastify({ logger: false });
  const ok = async () => ({ ok: true });
  switch (env.variant) {
    case 'none':
      app.get('/mcp', ok);
      break;
    case 'noop':
      // The floor for any guard: one preParsing hook (where prmkit's guard runs) that passes.
      app.decorateRequest('auth', null);
      app.get('/mcp', { preParsing: (_request, _reply, payload, done) => done(null, payload) }, ok);
      break;
    case 'prmkit':
    case 'prmkit-miss':
      await app.register(prmkitPlugin, { resourceServer: prmkitInput(env) });
      app.get('/mcp', { config: { prmkit: {} } }, ok);
      break;
    case 'mcp-none':
      app.post('/mcp', async (request) => ({ ok: true, name: request.body.params.name }));
      break;
    case 'mcp-prmkit':
      // The guard runs in preParsing: Mcp-Name decides, the raw body is checked and replayed.
      await app.register(prmkitPlugin, { resourceServer: prmkitInput(env) });
      app.post('/mcp', { config: { prmkit: {} } }, async (request) => ({
        ok: true,
        name: request.body.params.name,
      }));
      break;
    case 'jose':
    case 'minimal': {
      const guard = await handWrittenGuard(env);
      app.decorateRequest('auth', null);
      app.get(
        '/mcp',
        {
          onRequest: async (request, reply) => {
            const payload = await guard(request.headers.authorization);
            if (!payload) return reply.code(401).header('www-authenticate', 'Bearer').send();
            request.auth = payload;
          },
        },
        ok,
      );
      break;
    }
    case 'metadata':
      await app.register(prmkitPlugin, { resourceServer: prmkitInput(env) });
      break;
    case 'static': {
      const body = JSON.stringify(env.staticMetadata);
      app.get(STATIC_PATH, (_req, reply) => reply.type('application/json').send(body));
      break;
    }
    case 'static-headers': {
      const body = Buffer.from(JSON.stringify(env.staticMetadata));
      app.get(STATIC_PATH, (_req, reply) => reply.headers(METADATA_HEADERS).send(body));
      break;
    }
    default:
      throw new Error(`fastify: unknown variant ${env.variant}`);
  }
  return {
    /** @param {number} port */
    listen: async (port) => {
      await app.listen({ port, host: '127.0.0.1' });
      return app.server;
    },
  };
}
