/* global AbortSignal, URLSearchParams */
// Helpers for the consumer test: child processes with timeouts, fresh projects outside the
// monorepo, servers on free loopback ports stopped by PID, tokens from the example
// authorization server, and the HTTP assertions every scaffold makes.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A step failed: the message says which one and why; `output` is the tail of its log. */
export class StepError extends Error {
  constructor(message, output = '') {
    super(message);
    this.output = output;
  }
}

// The child's environment: ours without the npm_* / pnpm_* variables a package manager
// sets for scripts (`pnpm test:consumer`), which would leak into the fresh projects' npm.
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)),
);

const tail = (text, lines = 60) => text.split('\n').slice(-lines).join('\n');

/**
 * Runs a command to completion (no shell) in its own process group, killed as a group
 * when `timeoutMs` passes. Resolves `{ code, output }`; with `check` (default) a non-zero
 * exit throws a StepError carrying the output's tail.
 */
export function run(command, args, { cwd, env, timeoutMs = 120_000, check = true, log } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new StepError(`${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      log?.(`$ ${command} ${args.join(' ')}  (exit ${code})\n${output}\n`);
      const line = `${command} ${args.join(' ')}`;
      if (timedOut) reject(new StepError(`timed out after ${timeoutMs} ms: ${line}`, tail(output)));
      else if (check && code !== 0) reject(new StepError(`exit ${code}: ${line}`, tail(output)));
      else resolve({ code, output });
    });
  });
}

function killGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it; released right before use). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a long-running server process and waits until `readyUrl` answers any HTTP status.
 * Returns `{ stop, output }`; `stop()` ends the process group by PID (SIGTERM, then SIGKILL).
 */
export async function startServer(command, args, { cwd, env, readyUrl, timeoutMs = 30_000, log }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let exited = null;
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const closed = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const stop = async () => {
    if (exited === null) {
      killGroup(child.pid);
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3_000);
      await closed;
      clearTimeout(timer);
    }
    log?.(`$ ${command} ${args.join(' ')}  (server output)\n${output}\n`);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new StepError(
        `server exited (${JSON.stringify(exited)}) before it answered`,
        tail(output),
      );
    }
    try {
      await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) });
      return { stop, output: () => output };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new StepError(`server did not answer ${readyUrl} within ${timeoutMs} ms`, tail(output));
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A fresh project directory under the OS temp dir, far from any monorepo node_modules. */
export async function freshProject(name) {
  return mkdtemp(join(tmpdir(), `prmkit-consumer-${name}-`));
}

/** Writes `{ relativePath: contents }` (objects become pretty JSON). */
export async function writeFiles(dir, files) {
  for (const [path, contents] of Object.entries(files)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    const text = typeof contents === 'string' ? contents : `${JSON.stringify(contents, null, 2)}\n`;
    await writeFile(file, text);
  }
}

export async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

export const removeDir = (dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 });

/**
 * Fails when npm's output shows a peer-dependency conflict or an unsupported engine that
 * involves a prmkit package (other packages' engine notices are not ours to fix).
 */
export function assertNoPrmkitInstallProblem(output) {
  const lines = output.split('\n');
  for (const [i, line] of lines.entries()) {
    if (/ERESOLVE/.test(line) && /@prmkit\//.test(lines.slice(i, i + 30).join('\n')))
      throw new StepError(
        'npm reported a peer dependency conflict involving @prmkit',
        tail(output),
      );
    if (/EBADENGINE\s+package: '@prmkit\//.test(line))
      throw new StepError(`npm reported an unsupported engine: ${line.trim()}`, tail(output));
  }
}

/** `npm install` in a project with the shared cache; no --legacy-peer-deps, ever. */
export async function npmInstall(ctx, dir, args = [], timeoutMs = 300_000) {
  const { output } = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...args],
    { cwd: dir, env: ctx.npmEnv, timeoutMs, log: ctx.log },
  );
  assertNoPrmkitInstallProblem(output);
  return output;
}

/**
 * package.json fields that install the packed tarballs: each listed prmkit package as a
 * dependency, and `overrides` so that a prmkit package depending on another one gets the
 * tarball too, never the registry.
 */
export function prmkitDependencies(ctx, names) {
  const spec = (name) => `file:${ctx.tarballs[name]}`;
  const dependencies = Object.fromEntries(names.map((name) => [name, spec(name)]));
  const overrides = Object.fromEntries(Object.keys(ctx.tarballs).map((name) => [name, spec(name)]));
  return { dependencies, overrides };
}

const assert = (condition, message) => {
  if (!condition) throw new StepError(message);
};

/** Parses the auth-params of the first Bearer challenge (enough for the fixed servers here). */
export function bearerParams(header) {
  const match = /(?:^|,\s*)Bearer\s+(.*)$/i.exec(header ?? '');
  assert(match, `no Bearer challenge in WWW-Authenticate: ${JSON.stringify(header)}`);
  const params = {};
  for (const m of match[1].matchAll(/([\w-]+)="((?:[^"\\]|\\.)*)"/g)) params[m[1]] = m[2];
  return params;
}

const mcpInit = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'prmkit-consumer-test', version: '0.0.0' },
  },
});

/** What an MCP client sends first: a JSON-RPC POST with the MCP accept header. */
export function postMcp(url, token, body = mcpInit) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
}

/**
 * The contract every scaffold proves over real HTTP: no token → 401 whose Bearer challenge
 * names the server's RFC 9728 metadata URL, which serves this resource; a real token from
 * the example authorization server → 200.
 */
export async function assertProtected(ctx, { resource, scope = 'mcp:tools', method = 'POST' }) {
  const url = new URL(resource);
  const expectedMetadata = `${url.origin}/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
  const noToken =
    method === 'POST'
      ? await postMcp(resource)
      : await fetch(resource, { signal: AbortSignal.timeout(10_000) });
  assert(
    noToken.status === 401,
    `no token: expected 401, got ${noToken.status}: ${await noToken.text()}`,
  );
  const params = bearerParams(noToken.headers.get('www-authenticate'));
  assert(
    params.resource_metadata === expectedMetadata,
    `challenge resource_metadata ${JSON.stringify(params.resource_metadata)}, expected ${expectedMetadata}`,
  );
  assert(params.error === undefined, `a request without credentials got error=${params.error}`);
  const metadata = await fetch(params.resource_metadata, { signal: AbortSignal.timeout(10_000) });
  assert(metadata.status === 200, `metadata: expected 200, got ${metadata.status}`);
  const doc = await metadata.json();
  assert(doc.resource === resource, `metadata resource ${doc.resource}, expected ${resource}`);
  assert(
    Array.isArray(doc.authorization_servers) && doc.authorization_servers.includes(ctx.as.issuer),
    `metadata authorization_servers ${JSON.stringify(doc.authorization_servers)}`,
  );

  const bad = await (method === 'POST'
    ? postMcp(resource, 'not-a-token')
    : fetch(resource, { headers: { authorization: 'Bearer not-a-token' } }));
  assert(bad.status === 401, `a garbage token: expected 401, got ${bad.status}`);
  assert(
    bearerParams(bad.headers.get('www-authenticate')).error === 'invalid_token',
    'a garbage token: expected error="invalid_token"',
  );

  const token = await ctx.token(resource, scope);
  const ok =
    method === 'POST'
      ? await postMcp(resource, token)
      : await fetch(resource, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(10_000),
        });
  const text = await ok.text();
  assert(ok.status === 200, `with a real token: expected 200, got ${ok.status}: ${text}`);
  return { token, body: text, metadata: doc };
}

/**
 * Tokens from the example authorization server: one confidential client registered by
 * RFC 7591 dynamic registration, then the client credentials grant with RFC 8707
 * `resource`, so `aud` is the resource exactly.
 */
export async function createTokenSource(as) {
  const meta = await (await fetch(as.metadataUrl)).json();
  const reg = await fetch(meta.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'prmkit consumer test',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'mcp:tools mcp:admin',
    }),
  });
  const client = await reg.json();
  if (reg.status !== 201)
    throw new StepError(`client registration failed: ${JSON.stringify(client)}`);
  const basic = Buffer.from(
    `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`,
  ).toString('base64');
  const token = async (resource, scope = 'mcp:tools') => {
    const res = await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
    });
    const json = await res.json();
    if (res.status !== 200) throw new StepError(`token request failed: ${JSON.stringify(json)}`);
    return json.access_token;
  };
  return { token, client: { clientId: client.client_id, clientSecret: client.client_secret } };
}

/** The strict ESM TypeScript settings the TS scaffolds compile `server.ts` with. */
export const strictServerTsconfig = {
  compilerOptions: {
    module: 'nodenext',
    target: 'es2023',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: ['node'],
  },
  files: ['server.ts'],
};
