import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../listen.js';
import { locateService } from './locate.js';
import { startProcess, waitForPort } from './process.js';

/** The `nginx` binary, or `undefined` when not installed (see `locateService`). */
export const nginxPath = (): string | undefined =>
  locateService('nginx', '/usr/sbin/nginx', 'nginx');

/** A real nginx reverse proxy on a loopback port. */
export interface RunningNginx {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`) */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Lines of the access log so far (`$request $status $upstream_addr`). */
  accessLog(): string[];
  /** Stops it (SIGTERM by PID) and removes the scratch directory. */
  stop(): Promise<void>;
}

/** One upstream group and the path prefix proxied to it. */
export interface NginxRoute {
  /** `location` prefix, e.g. `/` */
  readonly location: string;
  /** `127.0.0.1:<port>` of each server; round robin (nginx's default) across them. */
  readonly servers: readonly string[];
}

/** Optional settings of {@link startNginx}. */
export interface NginxOptions {
  /**
   * Terminate TLS with this certificate and key (PEM), asking for a client certificate
   * (`ssl_verify_client optional_no_ca`) and forwarding it to the upstreams as
   * `X-SSL-Client-Cert: $ssl_client_escaped_cert` (always set, so a client's own copy is
   * overwritten): the RFC 8705 proxy setup.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/**
 * Starts nginx in the foreground (`daemon off`, `-p` prefix, pid, logs and temp paths in a
 * scratch directory) proxying each route round-robin to its upstream servers. Every
 * response carries `x-upstream: <the server that answered>`.
 *
 * @example
 * ```ts
 * const proxy = await startNginx(path, [{ location: '/', servers: ['127.0.0.1:3001', '127.0.0.1:3002'] }]);
 * const res = await fetch(`${proxy.url}/mcp`); // res.headers.get('x-upstream')
 * ```
 */
export async function startNginx(
  binary: string,
  routes: readonly NginxRoute[],
  port?: number,
  options: NginxOptions = {},
): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'prmkit-nginx-'));
  mkdirSync(join(dir, 'temp'));
  const listenPort = port ?? (await freePort());
  const upstreams = routes
    .map(
      (route, i) =>
        `  upstream group${i} {\n${route.servers.map((s) => `    server ${s};`).join('\n')}\n    keepalive 8;\n  }`,
    )
    .join('\n');
  const locations = routes
    .map(
      (route, i) => `    location ${route.location} {
      proxy_pass http://group${i};
      proxy_http_version 1.1;
      proxy_set_header Connection "";${options.tls ? '\n      proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;' : ''}
      proxy_buffering off;
      proxy_next_upstream off;
      add_header x-upstream $upstream_addr always;
    }`,
    )
    .join('\n');
  const temp = join(dir, 'temp');
  let tlsLines = '';
  if (options.tls) {
    writeFileSync(join(dir, 'server.pem'), options.tls.cert);
    writeFileSync(join(dir, 'server.key'), options.tls.key, { mode: 0o600 });
    tlsLines = `
    ssl_certificate ${join(dir, 'server.pem')};
    ssl_certificate_key ${join(dir, 'server.key')};
    ssl_verify_client optional_no_ca;`;
  }
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  log_format upstream '$request $status $upstream_addr';
  access_log ${join(dir, 'access.log')} upstream;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${upstreams}
  server {
    listen 127.0.0.1:${listenPort}${options.tls ? ' ssl' : ''};${tlsLines}
${locations}
  }
}
`,
  );
  let output = '';
  const proc = startProcess(
    binary,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    (text) => {
      if (output.length < 8000) output += text;
    },
  );
  let alive = true;
  void proc.exited.then(() => {
    alive = false;
  });
  try {
    await waitForPort(listenPort, 10_000, () => alive);
  } catch (error) {
    await proc.stop(0);
    let log = '';
    try {
      log = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      // no log written
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${String(error)}\n${output}\n${log}`);
  }
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${listenPort}`,
    port: listenPort,
    pid: proc.pid,
    accessLog() {
      try {
        return readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
