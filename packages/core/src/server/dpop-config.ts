import { z } from 'zod';
import type { ResourceServerConfig } from './config-types.js';
import { createMemoryStore } from '../state/memory-store.js';
import type { KeyValueStore, Store } from '../state/types.js';
import { webCryptoBackend } from '../verify/token/signature-backend.js';
import { DEFAULT_DPOP_ALGORITHMS, type ResolvedDpopSetup } from '../verify/dpop/dpop-options.js';

const secret = z.union([
  z.string().min(32, 'a nonce secret must have at least 32 characters'),
  z.instanceof(Uint8Array).refine((b) => b.byteLength >= 32, {
    message: 'a nonce secret must have at least 32 bytes',
  }),
]);

/** Shape of the `dpop` option (the cross-member rules are in {@link dpopConfigProblems}). */
export const dpopSchema = z.strictObject({
  mode: z.enum(['off', 'allowed', 'required']),
  algorithms: z
    .array(
      z.string().refine((alg) => DEFAULT_DPOP_ALGORITHMS.includes(alg), {
        message: `DPoP proofs use an asymmetric algorithm: one of ${DEFAULT_DPOP_ALGORITHMS.join(', ')}`,
      }),
    )
    .min(1, 'at least one algorithm')
    .optional(),
  maxAge: z.number().int().min(1).max(3600).optional(),
  nonce: z
    .strictObject({
      secret: secret.optional(),
      lifetime: z.number().int().min(1).max(86400).optional(),
    })
    .optional(),
});

function isFullStore(store: KeyValueStore): store is Store {
  const s = store as Partial<Store>;
  return typeof s.addIfAbsent === 'function' && typeof s.increment === 'function';
}

/** What is wrong with the DPoP part of a configuration, with paths. */
export function dpopConfigProblems(c: {
  readonly dpop?: { readonly mode: string } | undefined;
  readonly store?: unknown;
  readonly dpopSigningAlgValuesSupported?: unknown;
  readonly dpopBoundAccessTokensRequired?: unknown;
}): { path: string[]; message: string }[] {
  if (!c.dpop || c.dpop.mode === 'off') return [];
  const problems: { path: string[]; message: string }[] = [];
  for (const key of ['dpopSigningAlgValuesSupported', 'dpopBoundAccessTokensRequired'] as const) {
    if (c[key] !== undefined) {
      problems.push({ path: [key], message: `with dpop set, ${key} comes from dpop; remove it` });
    }
  }
  if (c.store !== undefined && !isFullStore(c.store as KeyValueStore)) {
    problems.push({
      path: ['store'],
      message:
        'DPoP replay detection needs a store with atomic addIfAbsent (a full Store, e.g. the memory or Redis store)',
    });
  }
  return problems;
}

/** Applies the DPoP defaults of a validated configuration; `undefined` when DPoP is off. */
export function resolveDpop(config: ResourceServerConfig): ResolvedDpopSetup | undefined {
  const d = config.dpop;
  if (!d || d.mode === 'off') return undefined;
  const algorithms = d.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  const secretInput = d.nonce?.secret;
  return {
    mode: d.mode,
    algorithms,
    maxAge: d.maxAge ?? 300,
    futureTolerance: config.clockTolerance ?? 30,
    nonce: d.nonce
      ? {
          secret:
            typeof secretInput === 'string'
              ? new TextEncoder().encode(secretInput)
              : (secretInput ?? crypto.getRandomValues(new Uint8Array(32))),
          lifetime: d.nonce.lifetime ?? 300,
        }
      : undefined,
    signatureBackend: config.jwt?.signatureBackend ?? webCryptoBackend,
    store: (config.store as Store | undefined) ?? createMemoryStore(),
    storeTimeout: config.httpTimeout ?? 5000,
    metadata: {
      dpopSigningAlgValuesSupported: algorithms,
      dpopBoundAccessTokensRequired: d.mode === 'required' ? true : undefined,
    },
  };
}
