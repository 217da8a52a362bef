import { IP_RANGE_NAMES, ipRangeOf } from './ip-range.js';

/**
 * Whether `hostname` names the local machine: `localhost`, any `*.localhost`, `::1`
 * (with or without brackets) or an IPv4 address in 127.0.0.0/8. Case-insensitive; no DNS
 * lookup is made.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('[::1]'); // true
 * isLoopbackHost('api.example.com'); // false
 * ```
 * @see RFC 8252 §7.3 (loopback interface redirection), RFC 6761 §6.3 (localhost)
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/** `new URL()` that returns `undefined` instead of throwing. */
export function tryParseUrl(value: string, base?: string | URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * Why a URL was refused. Stable; branch on it rather than on `message`.
 *
 * @see RFC 9728 §7.1, RFC 8414 §6.1 (https), RFC 3986 §3.2.1 (credentials)
 */
export type UrlRefusal =
  | 'not_a_url'
  | 'scheme_refused'
  | 'http_remote'
  | 'http_not_allowed'
  | 'credentials'
  | 'fragment'
  | 'query'
  | 'address_refused';

/** One reason a URL may not be used; `message` reads after the URL's name. */
export interface UrlProblem {
  readonly reason: UrlRefusal;
  /** E.g. `must not contain credentials`; written to follow the name of the value. */
  readonly message: string;
}

/** What {@link checkUrl} accepts; every switch that loosens it is explicit. */
export interface UrlSafetyOptions {
  /** `'loopback'`: plain http to loopback hosts, and loopback addresses in URLs a server handed over. */
  readonly allowHttp?: 'loopback' | undefined;
  /**
   * `'handed-over'` for every URL a server named (a challenge's `resource_metadata`,
   * `authorization_servers`, metadata endpoints, redirects): IP literals in loopback
   * (unless `allowHttp` covers it), private, link-local, carrier-grade NAT and unique-local
   * ranges are refused, so a hostile server cannot aim requests at the asker's own network.
   * `'configured'` (default) for URLs the operator or user wrote down.
   */
  readonly source?: 'configured' | 'handed-over';
  /** With `source: 'handed-over'`: accept private, link-local, CGNAT and unique-local literals (intranets). */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Refuse a fragment (`#...`). Default: allowed. */
  readonly fragment?: 'refuse' | 'allow';
  /** Refuse a query (`?...`). Default: allowed. */
  readonly query?: 'refuse' | 'allow';
  /** Resolves a relative `value` (for `Location` headers). */
  readonly base?: URL | undefined;
  /** How messages name the switches, e.g. `--allow-http-loopback` for a command line. */
  readonly switchNames?: {
    readonly allowHttp: string;
    readonly allowPrivateNetwork: string;
  };
}

/** The outcome of {@link checkUrl}: the parsed URL (when it parses) and every problem found. */
export interface UrlCheck {
  readonly url: URL | undefined;
  /** Empty when the URL may be used. */
  readonly problems: readonly UrlProblem[];
}

const API_SWITCHES = {
  allowHttp: "allowHttp: 'loopback'",
  allowPrivateNetwork: 'allowPrivateNetwork: true',
};

/**
 * The one URL-safety rule of prmkit, for URLs that are fetched or advertised as
 * security-relevant (resource identifiers, issuers, metadata and endpoint URLs): an absolute
 * https URL (http only to a loopback host with `allowHttp: 'loopback'`), without
 * credentials, optionally without fragment or query; for a URL a server handed over, no IP
 * literal outside the public internet (see {@link UrlSafetyOptions.source}). Every problem
 * is listed, not only the first. No DNS lookup is made: a DNS name that resolves to a
 * private address is not detected here.
 *
 * @example
 * ```ts
 * import { checkUrl } from '@prmkit/core/http';
 * checkUrl('https://auth.example.com').problems; // []
 * checkUrl('https://169.254.169.254/latest', { source: 'handed-over' }).problems[0]?.reason; // 'address_refused'
 * checkUrl('http://127.0.0.1:8080/mcp', { allowHttp: 'loopback' }).problems; // []
 * ```
 * @see RFC 9728 §7.1 and §7.7, RFC 8414 §6.1, RFC 3986 §3.2.1, MCP 2025-11-25 security best practices (SSRF)
 */
export function checkUrl(value: unknown, options: UrlSafetyOptions = {}): UrlCheck {
  const names = options.switchNames ?? API_SWITCHES;
  if (typeof value !== 'string' && !(value instanceof URL)) {
    return refused('not_a_url', 'must be a URL string');
  }
  let url: URL;
  try {
    url = new URL(value, options.base);
  } catch {
    return refused('not_a_url', `must be an absolute URL, got ${JSON.stringify(String(value))}`);
  }
  const text = String(value);
  const problems: UrlProblem[] = [];
  const add = (reason: UrlRefusal, message: string) => problems.push({ reason, message });
  if (options.fragment === 'refuse' && (url.hash !== '' || text.includes('#'))) {
    add('fragment', 'must not contain a fragment');
  }
  if (options.query === 'refuse' && (url.search !== '' || text.includes('?'))) {
    add('query', 'must not contain a query');
  }
  if (url.username !== '' || url.password !== '')
    add('credentials', 'must not contain credentials');
  const transport = transportProblem(url, options.allowHttp, names.allowHttp);
  if (transport) problems.push(transport);
  else if (options.source === 'handed-over') {
    const address = addressProblem(url, options, names);
    if (address) problems.push(address);
  }
  return { url, problems };
}

/** The scheme part of the rule: https, or http to loopback when allowed. */
function transportProblem(
  url: URL,
  allowHttp: 'loopback' | undefined,
  switchName: string,
): UrlProblem | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') {
    return {
      reason: 'scheme_refused',
      message: `must be an https URL, got scheme ${url.protocol}`,
    };
  }
  if (!isLoopbackHost(url.hostname)) {
    return {
      reason: 'http_remote',
      message: `must use https (http is allowed only for loopback hosts, with ${switchName})`,
    };
  }
  if (allowHttp !== 'loopback') {
    return {
      reason: 'http_not_allowed',
      message: `uses http: set ${switchName} to allow http on loopback hosts (development only)`,
    };
  }
  return undefined;
}

/** The network part of the rule, for URLs a server handed over. */
function addressProblem(
  url: URL,
  options: UrlSafetyOptions,
  names: NonNullable<UrlSafetyOptions['switchNames']>,
): UrlProblem | undefined {
  const range = isLoopbackHost(url.hostname) ? 'loopback' : ipRangeOf(url.hostname);
  if (range === undefined || range === 'public') return undefined;
  if (range === 'loopback' && options.allowHttp === 'loopback') return undefined;
  const privateNetwork = range !== 'loopback' && range !== 'unspecified';
  if (privateNetwork && options.allowPrivateNetwork === true) return undefined;
  const hint =
    range === 'loopback'
      ? ` (${names.allowHttp} allows loopback, for development)`
      : privateNetwork
        ? ` (${names.allowPrivateNetwork} allows it, for intranet deployments)`
        : '';
  return {
    reason: 'address_refused',
    message: `must not name a host in ${IP_RANGE_NAMES[range]}, got ${url.hostname}: a URL handed over by a server is refused there${hint}`,
  };
}

function refused(reason: UrlRefusal, message: string): UrlCheck {
  return { url: undefined, problems: [{ reason, message }] };
}

/**
 * Whether `url` may be used to fetch or advertise security-relevant documents: https, or
 * http on a loopback host when `allowHttp === 'loopback'`. Anything else (`javascript:`,
 * `file:`, plain http to a remote host) is refused. The scheme part of {@link checkUrl}.
 *
 * @example
 * ```ts
 * isSecureUrl(new URL('https://auth.example.com')); // true
 * isSecureUrl(new URL('http://127.0.0.1:8080/jwks'), 'loopback'); // true
 * isSecureUrl(new URL('http://auth.example.com'), 'loopback'); // false
 * ```
 * @see RFC 9728 §7.1 (TLS requirements), RFC 8414 §6.1
 */
export function isSecureUrl(url: URL, allowHttp?: 'loopback'): boolean {
  return transportProblem(url, allowHttp, API_SWITCHES.allowHttp) === undefined;
}

/**
 * Same URL once parsed (case of scheme and host, default port, percent-encoding as `URL`
 * normalizes them); no `/` is added or removed beyond what `URL` does, and an unparsable
 * value equals nothing.
 *
 * @example
 * ```ts
 * sameUrl('HTTPS://Api.Example.com:443/mcp', 'https://api.example.com/mcp'); // true
 * sameUrl('https://api.example.com/mcp', 'https://api.example.com/mcp/'); // false
 * ```
 * @see RFC 9728 §3.3 (resource comparison), RFC 3986 §6.2.2
 */
export function sameUrl(a: string | URL, b: string | URL): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
