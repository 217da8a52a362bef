// One server under test, in its own process so it never shares an event loop (or a
// core, when the OS allows) with the load generator. Prints one JSON line when ready.
import process from 'node:process';
import { expressApp } from './apps/express.mjs';
import { fastifyApp } from './apps/fastify.mjs';
import { honoApp } from './apps/hono.mjs';

const env = JSON.parse(process.argv[2] ?? '{}');
const factories = { express: expressApp, fastify: fastifyApp, hono: honoApp };
const factory = factories[env.framework];
if (!factory) throw new Error(`unknown framework ${env.framework}`);

const app = await factory(env);
const server = await app.listen(0);
const address = server.address();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

// Exit cleanly on SIGTERM so --cpu-prof can write its profile.
process.once('SIGTERM', () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  const force = globalThis.setTimeout(() => process.exit(0), 2000);
  force.unref();
});
