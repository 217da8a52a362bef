import express from 'express';
import { prmkit } from '@prmkit/express';
import { createJoseGuard } from '../jose-guard.mjs';
import { METADATA_HEADERS, prmkitConfig, STATIC_PATH } from './common.mjs';

/** @param {import('./common.mjs').AppEnv} env */
export async function expressApp(env) {
  const app = express();
  const ok = (_req, res) => res.json({ ok: true });
  switch (env.variant) {
    case 'none':
      app.get('/mcp', ok);
      break;
    case 'noop':
      // The floor for any guard: one middleware that sets a property and calls next().
      app.get(
        '/mcp',
        (req, _res, next) => {
          req.auth = null;
          next();
        },
        ok,
      );
      break;
    case 'prmkit':
    case 'prmkit-miss': {
      const prm = prmkit(prmkitConfig(env));
      app.get('/mcp', prm.requireAuth(), ok);
      break;
    }
    case 'jose': {
      const guard = createJoseGuard(env);
      app.get(
        '/mcp',
        (req, res, next) => {
          guard(req.headers.authorization).then((payload) => {
            if (!payload) return res.status(401).set('www-authenticate', 'Bearer').end();
            req.auth = payload;
            next();
          }, next);
        },
        ok,
      );
      break;
    }
    case 'auth0': {
      const { auth } = await import('express-oauth2-jwt-bearer');
      app.get(
        '/mcp',
        auth({
          issuer: env.issuer,
          jwksUri: env.jwksUri,
          audience: env.resource,
          tokenSigningAlg: 'RS256',
        }),
        ok,
      );
      break;
    }
    case 'mcp-auth': {
      const { MCPAuth, fetchServerConfig } = await import('mcp-auth');
      const server = await fetchServerConfig(env.issuer, { type: 'oauth' });
      const mcpAuth = new MCPAuth({
        protectedResources: [
          {
            metadata: {
              resource: env.resource,
              authorizationServers: [server],
              scopesSupported: ['mcp:tools'],
            },
          },
        ],
      });
      app.get(
        '/mcp',
        mcpAuth.bearerAuth('jwt', { resource: env.resource, audience: env.resource }),
        ok,
      );
      break;
    }
    case 'metadata': {
      const prm = prmkit(prmkitConfig(env));
      app.use(prm.metadata);
      break;
    }
    case 'static': {
      const body = JSON.stringify(env.staticMetadata);
      app.get(STATIC_PATH, (_req, res) => res.type('application/json').send(body));
      break;
    }
    case 'static-headers': {
      const body = JSON.stringify(env.staticMetadata);
      app.get(STATIC_PATH, (_req, res) => res.set(METADATA_HEADERS).send(body));
      break;
    }
    default:
      throw new Error(`express: unknown variant ${env.variant}`);
  }
  return {
    /** @param {number} port */
    listen: (port) =>
      new Promise((resolve, reject) => {
        const server = app.listen(port, '127.0.0.1', (error) =>
          error ? reject(error) : resolve(server),
        );
      }),
  };
}
