#!/usr/bin/env node
import { readServerEnv } from '@prmkit/example-tools';
import { startServer } from './start-server.js';

// Env-driven entry point: PORT, HOST, PRMKIT_RESOURCE, PRMKIT_ISSUER, PRMKIT_JWKS_URI.
try {
  const server = await startServer(readServerEnv(process.env));
  console.log(`prmkit nestjs example: MCP endpoint ${server.url}`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
