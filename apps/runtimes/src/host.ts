// The two hosts' own serving APIs, typed here (no @types/bun or Deno types in the
// workspace): just what these scripts use. Each script runs on Bun and on Deno.

/** `Bun.serve`'s handler: the request and the server (for `requestIP`). */
export type BunFetch = (request: Request, server: BunServer) => Response | Promise<Response>;
export interface BunServer {
  readonly port: number;
  requestIP(request: Request): { address: string } | null;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunGlobal {
  serve(options: { port: number; hostname: string; fetch: BunFetch }): BunServer;
  readonly version: string;
}

/** `Deno.serve`'s handler: the request and the connection info. */
export type DenoHandler = (
  request: Request,
  info: { remoteAddr: { hostname: string; port: number } },
) => Response | Promise<Response>;
interface DenoGlobal {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: DenoHandler,
  ): { readonly addr: { port: number }; shutdown(): Promise<void> };
  readonly env: { get(name: string): string | undefined };
  readonly version: { deno: string };
}

const g = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };

/** The host this script runs on; fails on any other (the scripts are not for Node). */
export const host: { bun: BunGlobal; deno?: undefined } | { deno: DenoGlobal; bun?: undefined } =
  g.Bun !== undefined
    ? { bun: g.Bun }
    : g.Deno !== undefined
      ? { deno: g.Deno }
      : (() => {
          throw new Error('run this with bun or deno');
        })();

/** `bun 1.x.y` or `deno 2.x.y`. */
export const hostVersion = host.bun ? `bun ${host.bun.version}` : `deno ${host.deno.version.deno}`;

/** An environment variable through the host's API (Deno: needs --allow-env). */
export function env(name: string): string {
  const value = host.bun
    ? (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[name]
    : host.deno.env.get(name);
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/** A server on 127.0.0.1 (`port` 0: the OS picks one); resolves its port and a stop. */
export async function serveOnLoopback(
  port: number,
  handler: (request: Request) => Response | Promise<Response>,
): Promise<{ port: number; stop(): Promise<void> }> {
  if (host.bun) {
    const server = host.bun.serve({ port, hostname: '127.0.0.1', fetch: handler });
    return { port: server.port, stop: () => server.stop(true) };
  }
  const server = host.deno.serve(
    { port, hostname: '127.0.0.1', onListen: () => undefined },
    handler,
  );
  return { port: server.addr.port, stop: () => server.shutdown() };
}
