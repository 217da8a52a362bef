import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../src/cli.js';

/** A stdout/stderr stand-in that keeps everything written to it. */
export interface Captured {
  write(text: string): boolean;
  text(): string;
  readonly isTTY: boolean;
}

export function capture(isTTY = false): Captured {
  const chunks: string[] = [];
  return {
    write: (text: string) => {
      chunks.push(text);
      return true;
    },
    text: () => chunks.join(''),
    isTTY,
  };
}

export function io(
  env: Record<string, string | undefined> = {},
  isTTY = false,
): CliIo & { stdout: Captured; stderr: Captured } {
  return { stdout: capture(isTTY), stderr: capture(), env };
}

/** Whether apps/<framework>-server has landed (the servers are written in parallel). */
export const serverAvailable = (framework: string): boolean =>
  existsSync(fileURLToPath(new URL(`../../${framework}-server/src/index.ts`, import.meta.url)));

/** A loopback port that was free a moment ago and has nothing listening now. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
/** A compact JWS: three base64url parts, the first a JSON header. */
export const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/;
