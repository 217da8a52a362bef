// One server under test, in its own process so it never shares an event loop (or a
// core, when the OS allows) with the load generator. Prints one JSON line when ready.
import process from 'node:process';

const env = JSON.parse(process.argv[2] ?? '{}');
// Load only the framework under test: less startup, and nothing else in the heap.
const loaders = {
  express: async () => (await import('./apps/express.mjs')).expressApp,
  fastify: async () => (await import('./apps/fastify.mjs')).fastifyApp,
  hono: async () => (await import('./apps/hono.mjs')).honoApp,
  nestjs: async () => (await import('./apps/nestjs.mjs')).nestjsApp,
};
const loader = loaders[env.framework];
if (!loader) throw new Error(`unknown framework ${env.framework}`);
const factory = await loader();

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
