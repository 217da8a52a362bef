import { z } from 'zod';
import type { ResourceServerConfig } from './config-types.js';
import { createAddressMatcher, parseAddressRange } from '../util/ip-cidr.js';
import type { ResolvedMtls } from '../verify/mtls/certificate-source.js';
import { DEFAULT_CERTIFICATE_HEADERS } from '../verify/mtls/mtls-options.js';

/** RFC 9110 §5.1 field name. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Shape of the `mtls` option (the cross-member rules are in {@link mtlsConfigProblems}). */
export const mtlsSchema = z.strictObject({
  mode: z.enum(['off', 'allowed', 'required']),
  certificateHeader: z
    .strictObject({
      format: z.enum(['rfc9440', 'nginx', 'envoy-xfcc', 'aws-alb']),
      name: z.string().regex(FIELD_NAME, 'must be an HTTP header name').optional(),
    })
    .optional(),
  trustedProxies: z.array(z.string()).optional(),
});

/** What is wrong with the mTLS part of a configuration, with paths. */
export function mtlsConfigProblems(c: {
  readonly mtls?: z.infer<typeof mtlsSchema> | undefined;
  readonly tlsClientCertificateBoundAccessTokens?: unknown;
}): { path: (string | number)[]; message: string }[] {
  const m = c.mtls;
  if (!m || m.mode === 'off') return [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (c.tlsClientCertificateBoundAccessTokens !== undefined) {
    problems.push({
      path: ['tlsClientCertificateBoundAccessTokens'],
      message: 'with mtls set, tlsClientCertificateBoundAccessTokens comes from mtls; remove it',
    });
  }
  // A header anyone can send is believed only from a proxy that sets it (and strips the
  // client's copy): no header mode without the list of those proxies.
  if (m.certificateHeader && (m.trustedProxies ?? []).length === 0) {
    problems.push({
      path: ['mtls', 'trustedProxies'],
      message:
        'a certificate header is believed only from listed proxies: set mtls.trustedProxies (addresses or CIDR ranges)',
    });
  }
  if (!m.certificateHeader && m.trustedProxies !== undefined) {
    problems.push({
      path: ['mtls', 'trustedProxies'],
      message: 'trustedProxies is only used with mtls.certificateHeader',
    });
  }
  m.trustedProxies?.forEach((entry, i) => {
    const range = parseAddressRange(entry);
    if (typeof range === 'string') {
      problems.push({ path: ['mtls', 'trustedProxies', i], message: range });
    }
  });
  return problems;
}

/** Applies the mTLS defaults of a validated configuration; `undefined` when mTLS is off. */
export function resolveMtls(config: ResourceServerConfig): ResolvedMtls | undefined {
  const m = config.mtls;
  if (!m || m.mode === 'off') return undefined;
  const header = m.certificateHeader;
  return {
    mode: m.mode,
    header: header && {
      format: header.format,
      name: (header.name ?? DEFAULT_CERTIFICATE_HEADERS[header.format]).toLowerCase(),
    },
    isTrustedProxy: createAddressMatcher(m.trustedProxies ?? []),
  };
}
