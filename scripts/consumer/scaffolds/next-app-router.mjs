// @prmkit/web in Next.js 16 (App Router, TypeScript): a `create-next-app@16 --api` project,
// the official MCP SDK's Web-standard handler behind withPrmkit as the `app/mcp` route
// handler, metadataRoute as `app/.well-known/oauth-protected-resource/[[...path]]`, one
// resource server shared through `lib/prmkit.ts`. `next build` (which type-checks the
// route exports) and `next start`, then the web checks over HTTP.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  npmInstall,
  prmkitDependencies,
  readJson,
  run,
  startServer,
  writeFiles,
} from '../harness.mjs';
import { assertWebScaffold, mcpHandlersSource, resourceServerSource } from '../web-app.mjs';

const nextEnv = { NEXT_TELEMETRY_DISABLED: '1' };

export const files = {
  'lib/prmkit.ts': `import { createResourceServer } from '@prmkit/web';

// One resource server for every route of the app (the MCP endpoint and its metadata).
export const rs = ${resourceServerSource((name) => `process.env['${name}'] ?? ''`)};
`,
  'lib/mcp.ts': `import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { withPrmkit, type AuthInfo } from '@prmkit/web';
import { rs } from '@/lib/prmkit';

${mcpHandlersSource}`,
  'app/mcp/route.ts': `import { mcpRoute } from '@/lib/mcp';

export { mcpRoute as GET, mcpRoute as POST, mcpRoute as DELETE };
`,
  'app/admin/route.ts': `import { adminRoute } from '@/lib/mcp';

export { adminRoute as GET };
`,
  'app/.well-known/oauth-protected-resource/[[...path]]/route.ts': `import { metadataRoute } from '@prmkit/web';
import { rs } from '@/lib/prmkit';

export const { GET, HEAD, OPTIONS } = metadataRoute(rs);
`,
};

export default {
  name: 'next-app-router',
  timeoutMs: 480_000,
  async run(ctx, parent) {
    const env = { ...ctx.npmEnv, ...nextEnv };
    await run(
      'npx',
      [
        '--yes',
        'create-next-app@16',
        'next-mcp',
        '--ts',
        '--app',
        '--api',
        '--use-npm',
        '--skip-install',
        '--disable-git',
        '--yes',
      ],
      { cwd: parent, env, log: ctx.log, timeoutMs: 180_000 },
    );
    const dir = join(parent, 'next-mcp');
    const manifest = await readJson(join(dir, 'package.json'));
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/web']);
    await rm(join(dir, 'app/[slug]'), { recursive: true, force: true }); // the template's sample
    await writeFiles(dir, {
      'package.json': {
        ...manifest,
        dependencies: { ...manifest.dependencies, ...dependencies },
        overrides,
      },
      ...files,
    });
    await npmInstall(ctx, dir, ['@modelcontextprotocol/server@2'], 400_000);
    // The resource is read when the routes load, in `next build` too: fix the port first.
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}/mcp`;
    const appEnv = { ...nextEnv, PRMKIT_RESOURCE: resource, PRMKIT_ISSUER: ctx.as.issuer };
    const next = join(dir, 'node_modules/next/dist/bin/next');
    await run('node', [next, 'build'], { cwd: dir, env: appEnv, log: ctx.log, timeoutMs: 300_000 });
    const running = await startServer(
      'node',
      [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
      {
        cwd: dir,
        env: appEnv,
        readyUrl: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`,
        timeoutMs: 60_000,
        log: ctx.log,
      },
    );
    try {
      await assertWebScaffold(ctx, resource);
    } finally {
      await running.stop();
    }
    return 'next build + next start: route handlers on the MCP SDK behind withPrmkit';
  },
};
