#!/usr/bin/env node
import { runExampleServer } from '@prmkit/example-tools';
import { startServer } from './start-server.js';

// Env-driven entry point: PORT, HOST, PRMKIT_RESOURCE, PRMKIT_ISSUER, PRMKIT_JWKS_URI.
await runExampleServer('nestjs', startServer);
