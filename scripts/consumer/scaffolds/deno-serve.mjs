// @prmkit/web on Deno (the binary the `deno` npm package ships): the official MCP SDK's
// Web-standard handler behind withPrmkit, served by Deno.serve from the npm-installed
// node_modules, TypeScript run as is, with only net, env and read permissions.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  npmInstall,
  prmkitDependencies,
  removeDir,
  startServer,
  writeFiles,
} from '../harness.mjs';
import { assertWebScaffold, fetchServerSource } from '../web-app.mjs';

export const server = fetchServerSource({
  envFn: "const env = (name: string): string => Deno.env.get(name) ?? '';",
  serveLine: "Deno.serve({ port: Number(env('PORT')), hostname: '127.0.0.1' }, route);",
});

export default {
  name: 'deno-serve',
  timeoutMs: 240_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/web']);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-deno',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.ts': server,
    });
    await npmInstall(ctx, dir, ['@modelcontextprotocol/server@2', 'deno']);
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}/mcp`;
    const denoDir = await mkdtemp(join(tmpdir(), 'prmkit-consumer-deno-dir-'));
    const deno = join(dir, 'node_modules/.bin/deno');
    const args = ['run', '--no-prompt', '--allow-net', '--allow-env', '--allow-read', 'server.ts'];
    try {
      const running = await startServer(deno, args, {
        cwd: dir,
        env: {
          PORT: String(port),
          PRMKIT_RESOURCE: resource,
          PRMKIT_ISSUER: ctx.as.issuer,
          DENO_DIR: denoDir,
          DENO_NO_UPDATE_CHECK: '1',
          NO_COLOR: '1',
        },
        readyUrl: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`,
        log: ctx.log,
      });
      try {
        await assertWebScaffold(ctx, resource);
      } finally {
        await running.stop();
      }
    } finally {
      await removeDir(denoDir);
    }
    return 'Deno.serve + the MCP SDK behind withPrmkit';
  },
};
