import express from 'express';
import { prmkit } from '@prmkit/express';
import { handWrittenGuard } from '../jose-guard.mjs';
import { METADATA_HEADERS, prmkitInput, STATIC_PATH } from './common.mjs';

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
      const prm = prmkit(prmkitInput(env));
      app.get('/mcp', prm.requireAuth(), ok);
      break;
    }
    case 'mcp-none':
    case 'mcp-prmkit': {
      // The body parser every MCP server on Express has; prmkit then compares the parsed
      // body with the Mcp-* headers before deciding.
      const guard = env.variant === 'mcp-prmkit' ? [prmkit(prmkitInput(env)).requireAuth()] : [];
      app.post('/mcp', express.json(), ...guard, (req, res) =>
        res.json({ ok: true, name: req.body.params.name }),
      );
      break;
    }
    case 'jose':
    case 'minimal': {
      const guard = await handWrittenGuard(env);
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
    case 'sdk': {
      // The official SDK's v2 bearer middleware, with the verifier a user writes: jose.
      const { requireBearerAuth } = await import('@modelcontextprotocol/express');
      const { OAuthError, OAuthErrorCode } = await import('@modelcontextprotocol/server');
      const { createRemoteJWKSet, jwtVerify } = await import('jose');
      const jwks = createRemoteJWKSet(new URL(env.jwksUri));
      const verifier = {
        async verifyAccessToken(token) {
          try {
            const { payload } = await jwtVerify(token, jwks, {
              issuer: env.issuer,
              audience: env.resource,
              algorithms: [env.alg ?? 'RS256'],
              typ: 'at+jwt',
            });
            return {
              token,
              clientId: String(payload.client_id ?? payload.azp ?? ''),
              scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
              expiresAt: payload.exp,
              resource: new URL(env.resource),
            };
          } catch (cause) {
            throw new OAuthError(
              OAuthErrorCode.InvalidToken,
              String(cause?.code ?? 'invalid token'),
            );
          }
        },
      };
      app.get(
        '/mcp',
        requireBearerAuth({
          verifier,
          requiredScopes: ['mcp:tools'],
          expectedResource: new URL(env.resource),
        }),
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
