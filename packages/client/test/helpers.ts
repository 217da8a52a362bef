import { afterEach } from 'vitest';
import { startOAuthServerStandIn, startProtectedResourceStandIn } from '@prmkit/testing';
import type {
  OAuthServerStandIn,
  OAuthServerStandInOptions,
  ProtectedResourceStandIn,
  ProtectedResourceStandInOptions,
} from '@prmkit/testing';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** Starts a fixture AS closed after the test. */
export async function fixtureAs(opts: OAuthServerStandInOptions = {}): Promise<OAuthServerStandIn> {
  const s = await startOAuthServerStandIn(opts);
  closers.push(s.close);
  return s;
}

/** Starts a fixture RS closed after the test. */
export async function fixtureRs(
  opts: ProtectedResourceStandInOptions = {},
): Promise<ProtectedResourceStandIn> {
  const s = await startProtectedResourceStandIn(opts);
  closers.push(s.close);
  return s;
}

/** Registers any closer. */
export function onClose(close: () => Promise<void>): void {
  closers.push(close);
}

/** The rejection of `p` (fails the test when it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { code?: string; oauthError?: string }> {
  const outcome = await p.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error('expected a rejection');
  return outcome.error as Error & { code?: string };
}

export const REDIRECT = 'http://127.0.0.1:1/callback';
