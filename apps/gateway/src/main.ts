#!/usr/bin/env node
import { GatewayConfigError, readGatewayEnv } from './config.js';
import { startGateway } from './start-gateway.js';

// Env-driven entry point: PORT, HOST, PRMKIT_PUBLIC_URL, PRMKIT_ISSUER, PRMKIT_JWKS_URI,
// PRMKIT_GATEWAY_CONFIG, PRMKIT_EXCHANGE_CLIENT_ID, PRMKIT_EXCHANGE_CLIENT_SECRET, PRMKIT_REDIS_URL.
try {
  const env = readGatewayEnv(process.env);
  const gateway = await startGateway({
    port: env.port,
    host: env.host,
    publicUrl: env.publicUrl,
    issuer: env.issuer,
    jwksUri: env.jwksUri,
    backends: env.config.backends,
    profile: env.config.profile,
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    redisUrl: env.redisUrl,
  });
  for (const [name, url] of Object.entries(gateway.routes))
    console.log(`gateway: ${name} at ${url}`);
  const stop = (): void => void gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof GatewayConfigError ? 2 : 1);
}
