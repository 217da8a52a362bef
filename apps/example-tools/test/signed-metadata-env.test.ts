import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_METADATA_JWKS_PATH,
  exampleResourceServerConfig,
  ExampleServerEnvError,
  readServerEnv,
} from '@prmkit/example-tools';

// PRMKIT_SIGNED_METADATA_KEY / _ISSUER: the example servers' switch for RFC 9728 §2.2.

const dir = mkdtempSync(join(tmpdir(), 'prmkit-signed-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
// A syntactically complete private JWK is enough here; real signing is tested in apps/e2e.
const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'k1', alg: 'ES256' };
const base = { PRMKIT_ISSUER: 'https://auth.example.com' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    readServerEnv({ ...base, ...env });
  } catch (error) {
    if (error instanceof ExampleServerEnvError) return error.problems;
    throw error;
  }
  throw new Error('expected an ExampleServerEnvError');
}

describe('readServerEnv: signed metadata', () => {
  it('reads the key file and issuer into signedMetadata, publishing the JWKS', () => {
    const options = readServerEnv({
      ...base,
      PRMKIT_SIGNED_METADATA_KEY: file('key.json', jwk),
      PRMKIT_SIGNED_METADATA_ISSUER: 'https://example.com',
    });
    expect(options.signedMetadata).toEqual({
      key: jwk,
      alg: 'ES256',
      kid: 'k1',
      issuer: 'https://example.com',
      jwksPath: EXAMPLE_METADATA_JWKS_PATH,
    });
    const config = exampleResourceServerConfig(options, 'https://mcp.example.com/mcp');
    expect(config.signedMetadata).toBe(options.signedMetadata);
  });

  it('is off without the variables', () => {
    expect(readServerEnv(base).signedMetadata).toBeUndefined();
    expect(
      exampleResourceServerConfig(readServerEnv(base), 'https://mcp.example.com/mcp'),
    ).not.toHaveProperty('signedMetadata');
  });

  it('refuses one variable without the other, an unreadable file, and a JWK without kid/alg/d', () => {
    expect(problems({ PRMKIT_SIGNED_METADATA_ISSUER: 'https://example.com' })).toEqual([
      'PRMKIT_SIGNED_METADATA_KEY and PRMKIT_SIGNED_METADATA_ISSUER: set both or none',
    ]);
    const issuer = { PRMKIT_SIGNED_METADATA_ISSUER: 'https://example.com' };
    expect(
      problems({ ...issuer, PRMKIT_SIGNED_METADATA_KEY: join(dir, 'missing.json') })[0],
    ).toMatch(/^PRMKIT_SIGNED_METADATA_KEY: cannot read/);
    expect(
      problems({ ...issuer, PRMKIT_SIGNED_METADATA_KEY: file('bad.json', '{not json') })[0],
    ).toMatch(/^PRMKIT_SIGNED_METADATA_KEY: cannot read/);
    for (const missing of ['kid', 'alg', 'd']) {
      const { [missing]: _gone, ...partial } = jwk as Record<string, string>;
      expect(
        problems({ ...issuer, PRMKIT_SIGNED_METADATA_KEY: file(`no-${missing}.json`, partial) }),
      ).toEqual([expect.stringContaining('must hold a private JWK') as string]);
    }
  });
});
