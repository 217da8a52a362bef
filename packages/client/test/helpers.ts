import { afterEach } from 'vitest';
import { startFixtureAs } from './fixtures/auth-server.js';
import type { FixtureAs, FixtureAsOptions } from './fixtures/auth-server.js';
import { startFixtureRs } from './fixtures/resource-server.js';
import type { FixtureRs, FixtureRsOptions } from './fixtures/resource-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** Starts a fixture AS closed after the test. */
export async function fixtureAs(opts: FixtureAsOptions = {}): Promise<FixtureAs> {
  const s = await startFixtureAs(opts);
  closers.push(s.close);
  return s;
}

/** Starts a fixture RS closed after the test. */
export async function fixtureRs(opts: FixtureRsOptions = {}): Promise<FixtureRs> {
  const s = await startFixtureRs(opts);
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
