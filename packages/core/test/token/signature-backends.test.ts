// Differential test of the two signature backends: one corpus of tokens (valid, forged,
// mangled, mis-keyed, outside the allow-list) through a Web Crypto verifier and a
// node:crypto verifier over the same loopback JWKS; both must reach the same decision, and
// that decision must be the expected one.
import {
  constants,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
} from 'node:crypto';
import type { KeyLike } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { listen } from '@prmkit/testing';
import type { Listening } from '@prmkit/testing';
import { PrmkitConfigError, PrmkitError } from '../../src/model/errors.js';
import { createResourceServer as createWebResourceServer } from '../../src/server/resource-server.js';
import {
  nodeCryptoBackend,
  nodeCryptoThreadPoolBackend,
  withNodeCrypto,
} from '../../src/node/index.js';
import { createJwtVerifier, webCryptoBackend } from '../../src/verify/token/index.js';
import type { SignatureBackend } from '../../src/verify/token/index.js';
import type { TokenVerifier } from '../../src/model/types.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
const ISSUER = 'http://127.0.0.1:4001';
const ALLOWED = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

interface Signer {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

async function signer(kid: string, alg: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    privateKey: KeyObject.from(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' },
  };
}

/** A 1024-bit RSA key: jose will not make one, node:crypto will. */
function smallRsaSigner(kid: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' },
  };
}

const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: RESOURCE,
    sub: 'user-1',
    client_id: 'client-1',
    scope: 'read',
    iat: now,
    exp: now + 3600,
    jti: Math.random().toString(36).slice(2),
  };
}

/** Signs with node:crypto directly, for the variants jose will not produce. */
function rawSign(
  alg: string,
  key: KeyLike,
  signingInput: string,
  options: { saltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' } = {},
): Uint8Array {
  const data = Buffer.from(signingInput);
  const hash = HASH[alg.slice(2)];
  if (alg.startsWith('RS')) return sign(hash, data, key);
  if (alg.startsWith('PS')) {
    return sign(hash, data, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: options.saltLength ?? Number(alg.slice(2)) / 8,
    } as never);
  }
  if (alg.startsWith('ES'))
    return sign(hash, data, { key, dsaEncoding: options.dsaEncoding ?? 'ieee-p1363' } as never);
  return sign(null, data, key);
}

function compact(header: Record<string, unknown>, payload: Record<string, unknown>) {
  return `${enc(header)}.${enc(payload)}`;
}

const flipBit = (bytes: Uint8Array, at: number) => {
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

/** Turns the last character's spare bits on: decodes to the same bytes, not canonical. */
function nonCanonical(segment: string): string | undefined {
  const rest = segment.length % 4;
  if (rest === 0) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + alphabet[last | (rest === 2 ? 0x0f : 0x03)];
}

/** Any refusal: the code depends on the bytes; it must still be the same for both. */
const REFUSED = ['token_malformed', 'signature_invalid'];

interface Case {
  readonly name: string;
  readonly token: string;
  /** `ok`, or the refusal code (one of the codes) both backends must give. */
  readonly expected: string | readonly string[];
}

let jwksServer: Listening;
let web: TokenVerifier;
let node: TokenVerifier;
let pool: TokenVerifier;
const corpus: Case[] = [];

async function outcome(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (error instanceof PrmkitError) return error.code;
    return `not a PrmkitError: ${String(error)}`;
  }
}

beforeAll(async () => {
  const rsa = await signer('rsa', 'RS256');
  const rsaOther = await signer('rsa', 'RS256'); // same kid, not in the JWKS: a forgery
  const rsaSmall = smallRsaSigner('rsa-1024');
  const ec: Record<string, Signer> = {
    ES256: await signer('p256', 'ES256'),
    ES384: await signer('p384', 'ES384'),
    ES512: await signer('p521', 'ES512'),
  };
  const ecOther: Record<string, Signer> = {
    ES256: await signer('p256', 'ES256'),
    ES384: await signer('p384', 'ES384'),
    ES512: await signer('p521', 'ES512'),
  };
  const ed = await signer('ed', 'EdDSA');
  const edOther = await signer('ed', 'EdDSA');
  // An RSA key the JWKS restricts to RS256.
  const rsOnly = await signer('rs256-only', 'RS256');
  const jwks = {
    keys: [
      rsa.publicJwk,
      rsaSmall.publicJwk,
      ec.ES256!.publicJwk,
      ec.ES384!.publicJwk,
      ec.ES512!.publicJwk,
      ed.publicJwk,
      { ...rsOnly.publicJwk, alg: 'RS256' },
    ],
  };
  jwksServer = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  const options = {
    resource: RESOURCE,
    issuers: [ISSUER],
    jwksUri: `${jwksServer.url}/jwks`,
    clockTolerance: 0,
    timeout: 2000,
    fetch: globalThis.fetch,
    allowHttp: 'loopback' as const,
    acceptedTypes: ['at+jwt' as const],
  };
  web = createJwtVerifier({ ...options, signatureBackend: webCryptoBackend });
  node = createJwtVerifier({ ...options, signatureBackend: nodeCryptoBackend });
  pool = createJwtVerifier({ ...options, signatureBackend: nodeCryptoThreadPoolBackend });

  const add = (name: string, token: string, expected: Case['expected']) =>
    corpus.push({ name, token, expected });
  const keyFor = (alg: string): Signer =>
    alg.startsWith('ES') ? ec[alg]! : alg.startsWith('Ed') ? ed : rsa;
  const otherFor = (alg: string): Signer =>
    alg.startsWith('ES') ? ecOther[alg]! : alg.startsWith('Ed') ? edOther : rsaOther;

  for (const alg of ALLOWED) {
    const key = keyFor(alg);
    const header = { alg, typ: 'at+jwt', kid: key.kid };
    const valid = await new SignJWT(claims()).setProtectedHeader(header).sign(key.privateKey);
    const [h, p, s] = valid.split('.') as [string, string, string];
    const sig = base64url.decode(s);
    add(`${alg} valid (jose-signed)`, valid, 'ok');
    add(
      `${alg} signed by another key of the same type`,
      await new SignJWT(claims()).setProtectedHeader(header).sign(otherFor(alg).privateKey),
      'signature_invalid',
    );
    add(
      `${alg} signature one byte short`,
      `${h}.${p}.${base64url.encode(sig.slice(0, -1))}`,
      'signature_invalid',
    );
    add(
      `${alg} signature half its length`,
      `${h}.${p}.${base64url.encode(sig.slice(0, sig.length / 2))}`,
      'signature_invalid',
    );
    // Cut as text: whether the new last character is canonical depends on the bytes.
    for (const cut of [1, 2, 3, 4, 5]) {
      add(`${alg} signature text cut by ${cut}`, `${h}.${p}.${s.slice(0, -cut)}`, REFUSED);
    }
    add(`${alg} signature emptied`, `${h}.${p}.`, 'signature_invalid');
    add(
      `${alg} first signature bit flipped`,
      `${h}.${p}.${base64url.encode(flipBit(sig, 0))}`,
      'signature_invalid',
    );
    add(
      `${alg} last signature bit flipped`,
      `${h}.${p}.${base64url.encode(flipBit(sig, sig.length - 1))}`,
      'signature_invalid',
    );
    add(`${alg} signature with == padding`, `${h}.${p}.${s}==`, 'token_malformed');
    add(`${alg} signature with one = `, `${h}.${p}.${s}=`, 'token_malformed');
    add(
      `${alg} signature in standard base64 (+/)`,
      `${h}.${p}.${s.replaceAll('-', '+').replaceAll('_', '/')}${/[-_]/.test(s) ? '' : '+'}`,
      'token_malformed',
    );
    add(
      `${alg} signature with a space inside`,
      `${h}.${p}.${s.slice(0, 8)} ${s.slice(8)}`,
      'token_malformed',
    );
    add(
      `${alg} signature with a non-base64url character`,
      `${h}.${p}.${s.slice(0, 8)}*${s.slice(9)}`,
      'token_malformed',
    );
    add(`${alg} signature with a tab appended`, `${h}.${p}.${s}\t`, 'token_malformed');
    const loose = nonCanonical(s);
    if (loose)
      add(`${alg} signature with non-zero spare bits`, `${h}.${p}.${loose}`, 'token_malformed');
    add(`${alg} header with == padding`, `${h}==.${p}.${s}`, 'token_malformed');
    add(`${alg} payload with padding`, `${h}.${p}=.${s}`, 'token_malformed');
    const looseP = nonCanonical(p);
    if (looseP)
      add(`${alg} payload with non-zero spare bits`, `${h}.${looseP}.${s}`, 'token_malformed');
    const tampered = enc({ ...claims(), scope: 'read admin' });
    add(`${alg} payload replaced, signature kept`, `${h}.${tampered}.${s}`, 'signature_invalid');
    add(
      `${alg} signature doubled`,
      `${h}.${p}.${base64url.encode(new Uint8Array([...sig, ...sig]))}`,
      'signature_invalid',
    );
    add(
      `${alg} signature with a zero byte appended`,
      `${h}.${p}.${base64url.encode(new Uint8Array([...sig, 0]))}`,
      'signature_invalid',
    );
    add(
      `${alg} signature with a zero byte prepended`,
      `${h}.${p}.${base64url.encode(new Uint8Array([0, ...sig]))}`,
      'signature_invalid',
    );
    if (alg.startsWith('ES')) {
      const input = compact(header, claims());
      const der = rawSign(alg, key.privateKey, input, { dsaEncoding: 'der' });
      add(
        `${alg} signature in DER instead of raw r||s`,
        `${input}.${base64url.encode(der)}`,
        'signature_invalid',
      );
      const raw = rawSign(alg, key.privateKey, input);
      add(`${alg} raw signature signed by node:crypto`, `${input}.${base64url.encode(raw)}`, 'ok');
      add(
        `${alg} raw signature, r and s swapped`,
        `${input}.${base64url.encode(new Uint8Array([...raw.slice(raw.length / 2), ...raw.slice(0, raw.length / 2)]))}`,
        'signature_invalid',
      );
      add(
        `${alg} all-zero signature`,
        `${input}.${base64url.encode(new Uint8Array(raw.length))}`,
        'signature_invalid',
      );
    }
    if (alg.startsWith('PS')) {
      const input = compact(header, claims());
      add(
        `${alg} PSS with a 20-byte salt`,
        `${input}.${base64url.encode(rawSign(alg, key.privateKey, input, { saltLength: 20 }))}`,
        'signature_invalid',
      );
      add(
        `${alg} PSS with an empty salt`,
        `${input}.${base64url.encode(rawSign(alg, key.privateKey, input, { saltLength: 0 }))}`,
        'signature_invalid',
      );
      add(
        `${alg} PKCS#1 v1.5 signature under a PS header`,
        `${input}.${base64url.encode(rawSign(`RS${alg.slice(2)}`, key.privateKey, input))}`,
        'signature_invalid',
      );
    }
    if (alg.startsWith('RS')) {
      const input = compact(header, claims());
      add(
        `${alg} PSS signature under an RS header`,
        `${input}.${base64url.encode(rawSign(`PS${alg.slice(2)}`, key.privateKey, input))}`,
        'signature_invalid',
      );
      const small = compact({ ...header, kid: rsaSmall.kid }, claims());
      add(
        `${alg} by a 1024-bit RSA key in the JWKS`,
        `${small}.${base64url.encode(rawSign(alg, rsaSmall.privateKey, small))}`,
        'signature_invalid',
      );
    }
    // Wrong key types: the header names a key of another family.
    const wrongKid = alg.startsWith('RS') || alg.startsWith('PS') ? 'p256' : 'rsa';
    const wrong = compact({ ...header, kid: wrongKid }, claims());
    add(`${alg} naming a key of another type (${wrongKid})`, `${wrong}.${s}`, 'key_not_found');
    if (alg !== 'RS256' && !alg.startsWith('E')) {
      const restricted = compact({ ...header, kid: rsOnly.kid }, claims());
      add(
        `${alg} naming a key whose JWK alg is RS256`,
        `${restricted}.${base64url.encode(rawSign(alg, rsOnly.privateKey, restricted))}`,
        'key_not_found',
      );
    }
    if (alg.startsWith('ES')) {
      const curve = alg === 'ES256' ? 'p384' : 'p256';
      const mis = compact({ ...header, kid: curve }, claims());
      add(`${alg} naming a key on another curve`, `${mis}.${s}`, 'key_not_found');
    }
  }

  // Outside the allow-list, or not an algorithm at all.
  const payload = claims();
  // Key confusion: an HMAC keyed with the RSA public key, as a naive verifier would check it.
  const publicPem = createPublicKey(rsa.privateKey).export({ type: 'spki', format: 'pem' });
  for (const alg of [
    'none',
    'None',
    'NONE',
    'HS256',
    'HS384',
    'HS512',
    'RS1',
    'ES256K',
    'rs256',
    'RS256 ',
    'PS256\u0000',
    '',
    'ML-DSA-44',
  ]) {
    const input = compact({ alg, typ: 'at+jwt', kid: 'rsa' }, payload);
    const mac = alg.startsWith('HS')
      ? base64url.encode(createHmac(HASH[alg.slice(2)]!, publicPem).update(input).digest())
      : '';
    add(`alg ${JSON.stringify(alg)}`, `${input}.${mac}`, 'algorithm_not_allowed');
  }
  {
    const input = compact({ typ: 'at+jwt', kid: 'rsa' }, payload);
    add(
      'alg missing',
      `${input}.${base64url.encode(rawSign('RS256', rsa.privateKey, input))}`,
      'algorithm_not_allowed',
    );
    const numeric = compact({ alg: 256, typ: 'at+jwt', kid: 'rsa' }, payload);
    add('alg a number', `${numeric}.`, 'algorithm_not_allowed');
    const arr = compact({ alg: ['RS256'], typ: 'at+jwt', kid: 'rsa' }, payload);
    add('alg an array', `${arr}.`, 'algorithm_not_allowed');
    add(
      'four segments',
      `${input}.${base64url.encode(rawSign('RS256', rsa.privateKey, input))}.x`,
      'token_malformed',
    );
    add(
      'header not JSON',
      `${base64url.encode('{alg:RS256')}.${enc(payload)}.AAAA`,
      'token_malformed',
    );
    add(
      'header a JSON array',
      `${base64url.encode('["RS256"]')}.${enc(payload)}.AAAA`,
      'token_malformed',
    );
    add(
      'header not UTF-8',
      `${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${enc(payload)}.AAAA`,
      'token_malformed',
    );
    const okHeader = enc({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa' });
    add(
      'payload not UTF-8',
      `${okHeader}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.AAAA`,
      'token_malformed',
    );
    add('payload JSON null', `${okHeader}.${base64url.encode('null')}.AAAA`, 'token_malformed');
    add(
      'b64 extension',
      `${compact({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa', b64: false }, payload)}.AAAA`,
      'token_malformed',
    );
  }
});

afterAll(async () => {
  await jwksServer?.close();
});

describe('signature backends: one corpus, identical decisions', () => {
  it('the corpus covers every allowed algorithm and the refusals', () => {
    expect(corpus.length).toBeGreaterThan(300);
    for (const alg of ALLOWED)
      expect(corpus.some((c) => c.name === `${alg} valid (jose-signed)`)).toBe(true);
  });

  it('Web Crypto, node:crypto and its thread-pool form reach the same decision on every token, the expected one', async () => {
    const mismatches: string[] = [];
    const unexpected: string[] = [];
    for (const c of corpus) {
      const [w, n, t] = [
        await outcome(web, c.token),
        await outcome(node, c.token),
        await outcome(pool, c.token),
      ];
      if (w !== n || n !== t)
        mismatches.push(`${c.name}: webcrypto ${w}, node:crypto ${n}, thread pool ${t}`);
      const expected = typeof c.expected === 'string' ? [c.expected] : c.expected;
      if (!expected.includes(w) || !expected.includes(n) || !expected.includes(t))
        unexpected.push(
          `${c.name}: expected ${String(c.expected)}, webcrypto ${w}, node:crypto ${n}, thread pool ${t}`,
        );
    }
    expect(mismatches).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('the same with HS256/384/512 and a shared secret', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-characters!');
    const options = {
      resource: RESOURCE,
      issuers: [ISSUER],
      secret,
      clockTolerance: 0,
      timeout: 1000,
      fetch: globalThis.fetch,
    };
    const hsWeb = createJwtVerifier({ ...options, signatureBackend: webCryptoBackend });
    const hsNode = createJwtVerifier({ ...options, signatureBackend: nodeCryptoBackend });
    const hsPool = createJwtVerifier({ ...options, signatureBackend: nodeCryptoThreadPoolBackend });
    const cases: Case[] = [];
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg, typ: 'at+jwt' })
        .sign(secret);
      const [h, p, s] = token.split('.') as [string, string, string];
      const wrong = await new SignJWT(claims())
        .setProtectedHeader({ alg, typ: 'at+jwt' })
        .sign(new TextEncoder().encode('another-shared-secret-of-32-characters!!'));
      cases.push(
        { name: `${alg} valid`, token, expected: 'ok' },
        { name: `${alg} wrong secret`, token: wrong, expected: 'signature_invalid' },
        {
          name: `${alg} one byte short`,
          token: `${h}.${p}.${base64url.encode(base64url.decode(s).slice(0, -1))}`,
          expected: 'signature_invalid',
        },
        {
          name: `${alg} bit flipped`,
          token: `${h}.${p}.${base64url.encode(flipBit(base64url.decode(s), 3))}`,
          expected: 'signature_invalid',
        },
        { name: `${alg} padded`, token: `${h}.${p}.${s}==`, expected: 'token_malformed' },
      );
    }
    cases.push({
      name: 'RS256 with a secret configured',
      token: `${compact({ alg: 'RS256', typ: 'at+jwt' }, claims())}.AAAA`,
      expected: 'algorithm_not_allowed',
    });
    for (const c of cases) {
      const w = await outcome(hsWeb, c.token);
      const n = await outcome(hsNode, c.token);
      const t = await outcome(hsPool, c.token);
      expect({ name: c.name, w, n, t }).toEqual({
        name: c.name,
        w: c.expected,
        n: c.expected,
        t: c.expected,
      });
    }
  });
});

describe('choosing a backend', () => {
  const config = {
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    allowHttp: 'loopback' as const,
  };

  it('@prmkit/core/node picks node:crypto unless a backend is named', () => {
    expect(withNodeCrypto(config).jwt?.signatureBackend).toBe(nodeCryptoBackend);
    const chosen = withNodeCrypto({ ...config, jwt: { signatureBackend: webCryptoBackend } });
    expect(chosen.jwt?.signatureBackend).toBe(webCryptoBackend);
    const keeps = withNodeCrypto({ ...config, jwt: { algorithms: ['ES256'] } });
    expect(keeps.jwt).toEqual({ algorithms: ['ES256'], signatureBackend: nodeCryptoBackend });
    const own = { verify: async () => Promise.reject(new Error('x')) };
    expect(withNodeCrypto({ ...config, verifier: own })).toEqual({ ...config, verifier: own });
  });

  it('createResourceServer uses the configured backend for every signature', async () => {
    const calls: string[] = [];
    const counting: SignatureBackend = {
      name: 'counting',
      verify(algorithm, key, input, signature) {
        calls.push(algorithm.alg);
        return webCryptoBackend.verify(algorithm, key, input, signature);
      },
    };
    const rs = createWebResourceServer({
      ...config,
      jwt: { jwksUri: `${jwksServer.url}/jwks`, signatureBackend: counting },
    });
    const valid = corpus.find((c) => c.name === 'ES256 valid (jose-signed)')!;
    const result = await rs.authorize({
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${valid.token}` },
    });
    expect(result.ok).toBe(true);
    expect(calls).toEqual(['ES256']);
  });

  it('a backend that is not one is a config error naming its path', () => {
    expect(() =>
      createWebResourceServer({
        ...config,
        jwt: { signatureBackend: {} as unknown as SignatureBackend },
      }),
    ).toThrow(PrmkitConfigError);
    let thrown: unknown;
    try {
      createWebResourceServer({ ...config, jwt: { signatureBackend: 'node' as never } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrmkitConfigError);
    expect((thrown as PrmkitConfigError).issues.map((i) => i.path)).toEqual([
      'jwt.signatureBackend',
    ]);
  });
});
