// @prmkit/web on Bun (the binary the `bun` npm package ships): the official MCP SDK's
// Web-standard handler behind withPrmkit, served by Bun.serve, TypeScript run as is.
import { join } from 'node:path';
import { freePort, npmInstall, prmkitDependencies, startServer, writeFiles } from '../harness.mjs';
import { assertWebScaffold, fetchServerSource } from '../web-app.mjs';

export const server = fetchServerSource({
  envFn: "const env = (name: string): string => process.env[name] ?? '';",
  serveLine: "Bun.serve({ port: Number(env('PORT')), hostname: '127.0.0.1', fetch: route });",
});

export default {
  name: 'bun-serve',
  timeoutMs: 240_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/web']);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-bun',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.ts': server,
    });
    await npmInstall(ctx, dir, ['@modelcontextprotocol/server@2', 'bun']);
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}/mcp`;
    const running = await startServer(
      join(dir, 'node_modules/.bin/bun'),
      ['--no-install', 'server.ts'],
      {
        cwd: dir,
        env: {
          PORT: String(port),
          PRMKIT_RESOURCE: resource,
          PRMKIT_ISSUER: ctx.as.issuer,
          DO_NOT_TRACK: '1',
        },
        readyUrl: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`,
        log: ctx.log,
      },
    );
    try {
      await assertWebScaffold(ctx, resource);
    } finally {
      await running.stop();
    }
    return 'Bun.serve + the MCP SDK behind withPrmkit';
  },
};
