import { describe, expect, it } from 'vitest';
import { checkUrl, isSecureUrl, sameUrl } from '../src/http.js';
import { ipRangeOf } from '../src/util/ip-range.js';

const handedOver = { source: 'handed-over' } as const;
const reasons = (value: unknown, options = {}) =>
  checkUrl(value, options).problems.map((p) => p.reason);

describe('checkUrl: scheme, credentials, fragment, query', () => {
  it('accepts https and refuses other schemes and remote http', () => {
    expect(reasons('https://auth.example.com/x')).toEqual([]);
    expect(reasons('javascript:alert(1)')).toEqual(['scheme_refused']);
    expect(reasons('file:///etc/passwd')).toEqual(['scheme_refused']);
    expect(reasons('http://auth.example.com', { allowHttp: 'loopback' })).toEqual(['http_remote']);
    expect(reasons('http://127.0.0.1:3000/')).toEqual(['http_not_allowed']);
    expect(reasons('http://127.0.0.1:3000/', { allowHttp: 'loopback' })).toEqual([]);
  });

  it('refuses non-strings, relative values and credentials; resolves against a base', () => {
    expect(reasons(42)).toEqual(['not_a_url']);
    expect(reasons('/relative')).toEqual(['not_a_url']);
    expect(reasons('https://user:pw@auth.example.com')).toEqual(['credentials']);
    expect(checkUrl('/next', { base: new URL('https://a.example/x') }).url?.href).toBe(
      'https://a.example/next',
    );
  });

  it('lists every problem; fragment and query only when asked', () => {
    expect(reasons('https://u@a.example/?q#f')).toEqual(['credentials']);
    expect(reasons('http://u@a.example/?q#', { fragment: 'refuse', query: 'refuse' })).toEqual([
      'fragment',
      'query',
      'credentials',
      'http_remote',
    ]);
  });

  it('names the switch the caller documents', () => {
    const [problem] = checkUrl('http://127.0.0.1/', {
      switchNames: { allowHttp: '--allow-http-loopback', allowPrivateNetwork: '--x' },
    }).problems;
    expect(problem?.message).toContain('--allow-http-loopback');
    expect(checkUrl('http://127.0.0.1/').problems[0]?.message).toContain("allowHttp: 'loopback'");
  });

  it('isSecureUrl is the scheme part of the same rule', () => {
    expect(isSecureUrl(new URL('https://a.example'))).toBe(true);
    expect(isSecureUrl(new URL('http://[::1]:8080/'), 'loopback')).toBe(true);
    expect(isSecureUrl(new URL('http://a.example'), 'loopback')).toBe(false);
  });
});

describe('checkUrl: addresses in URLs a server handed over (SSRF)', () => {
  it.each([
    ['https://10.0.0.1/prm', 'private network'],
    ['https://172.16.5.4/', 'private network'],
    ['https://172.31.255.255/', 'private network'],
    ['https://192.168.1.1/', 'private network'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://100.64.0.1/', 'carrier-grade NAT'],
    ['https://100.127.255.255/', 'carrier-grade NAT'],
    ['https://[fd00::1]/', 'unique-local'],
    ['https://[fc00::1]/', 'unique-local'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://[::ffff:10.0.0.1]/', 'private network'], // IPv4-mapped, serialized [::ffff:a00:1]
    ['https://[::ffff:169.254.169.254]/', 'link-local'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'link-local'], // NAT64 of 169.254.169.254
    ['https://[2002:a00:1::]/', 'private network'], // 6to4 of 10.0.0.1
    ['https://167772161/', 'private network'], // decimal 10.0.0.1
    ['https://0xa9fea9fe/', 'link-local'], // hex 169.254.169.254
    ['https://0x0a.0.0.1/', 'private network'],
    ['https://012.0.0.1/', 'private network'], // octal 10
    ['https://10.1/', 'private network'], // 10.0.0.1 short form
    ['https://0.0.0.0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
  ])('refuses %s (%s)', (url, range) => {
    const [problem, ...rest] = checkUrl(url, handedOver).problems;
    expect(rest).toEqual([]);
    expect(problem?.reason).toBe('address_refused');
    expect(problem?.message).toContain(range);
    // Configured URLs (the operator's own choice) are not judged by address.
    expect(reasons(url)).toEqual([]);
  });

  it('admits private ranges only with allowPrivateNetwork, and never the unspecified address', () => {
    const intranet = { ...handedOver, allowPrivateNetwork: true };
    for (const url of [
      'https://10.0.0.1/',
      'https://169.254.1.1/',
      'https://100.64.0.1/',
      'https://[fd00::1]/',
      'https://[::ffff:192.168.0.1]/',
    ]) {
      expect(reasons(url, intranet)).toEqual([]);
    }
    expect(reasons('https://0.0.0.0/', intranet)).toEqual(['address_refused']);
    expect(reasons('https://127.0.0.1/', intranet)).toEqual(['address_refused']);
    expect(checkUrl('https://10.0.0.1/', handedOver).problems[0]?.message).toContain(
      'allowPrivateNetwork: true',
    );
  });

  it('refuses loopback literals and localhost unless allowHttp covers loopback', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://127.1.2.3/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://2130706433/',
      'https://localhost/',
      'https://api.localhost/',
    ]) {
      expect(reasons(url, handedOver)).toEqual(['address_refused']);
      expect(reasons(url, { ...handedOver, allowHttp: 'loopback' })).toEqual([]);
    }
    expect(reasons('http://127.0.0.1:3000/', { ...handedOver, allowHttp: 'loopback' })).toEqual([]);
  });

  it('accepts public literals and DNS names', () => {
    for (const url of [
      'https://8.8.8.8/',
      'https://172.32.0.1/',
      'https://100.128.0.1/',
      'https://192.169.0.1/',
      'https://[2001:db8::1]/',
      'https://[::ffff:8.8.8.8]/',
      'https://auth.example.com/',
      'https://10.0.0.1.nip.io/',
    ]) {
      expect(reasons(url, handedOver)).toEqual([]);
    }
  });

  it('ipRangeOf parses IPv6 in every written form and rejects malformed ones', () => {
    expect(ipRangeOf('[::ffff:10.0.0.1]')).toBe('private');
    expect(ipRangeOf('[0:0:0:0:0:ffff:a00:1]')).toBe('private');
    expect(ipRangeOf('[::10.0.0.1]')).toBe('private');
    expect(ipRangeOf('[FE80::1]')).toBe('link_local');
    expect(ipRangeOf('[1:2:3:4:5:6:7:8:9]')).toBeUndefined();
    expect(ipRangeOf('[1::2::3]')).toBeUndefined();
    expect(ipRangeOf('[::g]')).toBeUndefined();
    expect(ipRangeOf('256.0.0.1')).toBeUndefined();
    expect(ipRangeOf('example.com')).toBeUndefined();
  });
});

describe('sameUrl', () => {
  it('compares parsed URLs and never equates an unparsable value', () => {
    expect(sameUrl('HTTPS://Api.Example.com:443/mcp', 'https://api.example.com/mcp')).toBe(true);
    expect(sameUrl('https://api.example.com/mcp', 'https://api.example.com/mcp/')).toBe(false);
    expect(sameUrl('not a url', 'not a url')).toBe(false);
  });
});
