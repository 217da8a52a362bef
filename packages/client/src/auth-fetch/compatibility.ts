import { PrmkitConfigError } from '@prmkit/core';
import type { ConfigIssue } from '@prmkit/core';
import type { PreRegisteredClient } from '../oauth/types.js';

/**
 * Named deviations from the MCP authorization flow for one authorization server that
 * cannot follow it. Strict is the default: nothing here applies unless listed, each applies
 * to its `issuer` only, and each logs a warning the first time it is used.
 *
 * @example
 * ```ts
 * import type { ServerCompatibility } from '@prmkit/client';
 * const entra: ServerCompatibility = {
 *   issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
 *   client: { clientId: '1950a258-227b-4e31-a9cf-717495945fc2' },
 *   omitResourceParameter: 'entra-aadsts9010010',
 *   scopeForm: { kind: 'entra-resource-qualified', applicationIdUri: 'api://6e74172b-be56-4843-9ff4-e66a39bb12e3' },
 * };
 * ```
 * @see RFC 8707 §2 (resource), MCP 2025-11-25 Authorization (client registration)
 */
export interface ServerCompatibility {
  /** The authorization server's issuer, compared exactly. */
  readonly issuer: string;
  /**
   * A client pre-registered at this server, for servers with neither dynamic registration
   * (RFC 7591) nor client ID metadata documents (Entra ID, Google, GitHub, Cognito).
   */
  readonly client?: PreRegisteredClient;
  /**
   * Leave out the RFC 8707 `resource` parameter. Entra ID refuses it together with v2 scopes
   * (`AADSTS9010010`); the token's audience then comes from the scope form below.
   */
  readonly omitResourceParameter?: 'entra-aadsts9010010';
  /**
   * Entra's resource-qualified scopes: `mcp:tools` is requested as
   * `<applicationIdUri>/mcp:tools` (OIDC scopes and `offline_access` stay as they are).
   */
  readonly scopeForm?: {
    readonly kind: 'entra-resource-qualified';
    readonly applicationIdUri: string;
  };
}

const UNQUALIFIED = new Set(['openid', 'profile', 'email', 'offline_access', 'address', 'phone']);

/** The resolved compatibility list of one `createAuthFetch`. */
export class CompatibilityRules {
  readonly #byIssuer = new Map<string, ServerCompatibility>();
  readonly #warned = new Set<string>();
  readonly #warn: (message: string) => void;

  constructor(
    list: readonly ServerCompatibility[] | undefined,
    warn: ((message: string) => void) | undefined,
  ) {
    this.#warn = warn ?? ((m) => console.warn(`[prmkit] ${m}`));
    const issues: ConfigIssue[] = [];
    (list ?? []).forEach((entry, i) => {
      const path = `compatibility.${i}`;
      if (typeof entry?.issuer !== 'string' || !/^https?:\/\//.test(entry.issuer))
        issues.push({ path: `${path}.issuer`, message: 'must be the issuer URL' });
      else if (this.#byIssuer.has(entry.issuer))
        issues.push({ path: `${path}.issuer`, message: 'listed twice' });
      else this.#byIssuer.set(entry.issuer, entry);
      if (
        entry?.client !== undefined &&
        (typeof entry.client.clientId !== 'string' || entry.client.clientId === '')
      )
        issues.push({ path: `${path}.client.clientId`, message: 'must be a non-empty string' });
      if (entry?.client?.issuer !== undefined && entry.client.issuer !== entry.issuer)
        issues.push({
          path: `${path}.client.issuer`,
          message: 'must be the entry issuer (or left out)',
        });
      if (
        entry?.omitResourceParameter !== undefined &&
        entry.omitResourceParameter !== 'entra-aadsts9010010'
      )
        issues.push({
          path: `${path}.omitResourceParameter`,
          message: "the only value is 'entra-aadsts9010010'",
        });
      const form = entry?.scopeForm;
      if (
        form !== undefined &&
        (form.kind !== 'entra-resource-qualified' ||
          typeof form.applicationIdUri !== 'string' ||
          form.applicationIdUri === '' ||
          form.applicationIdUri.endsWith('/'))
      )
        issues.push({
          path: `${path}.scopeForm`,
          message:
            "kind 'entra-resource-qualified' with an applicationIdUri without a trailing slash",
        });
    });
    if (issues.length > 0) throw new PrmkitConfigError(issues);
  }

  #once(issuer: string, what: string, message: string): void {
    const key = `${issuer} ${what}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#warn(`compatibility for ${issuer}: ${message}`);
  }

  /** The pre-registered client for `issuer`, bound to it. */
  client(issuer: string): PreRegisteredClient | undefined {
    const entry = this.#byIssuer.get(issuer);
    if (!entry?.client) return undefined;
    this.#once(
      issuer,
      'client',
      'using a pre-registered client (no dynamic registration or CIMD at this server)',
    );
    return { ...entry.client, issuer };
  }

  /** Whether to leave out `resource` for `issuer`. */
  omitsResource(issuer: string): boolean {
    if (this.#byIssuer.get(issuer)?.omitResourceParameter === undefined) return false;
    this.#once(
      issuer,
      'resource',
      'the RFC 8707 resource parameter is left out (AADSTS9010010); the token audience is whatever the server picks for the scopes',
    );
    return true;
  }

  /** `scopes` in the form `issuer` expects. */
  scopes(issuer: string, scopes: readonly string[] | undefined): readonly string[] | undefined {
    const form = this.#byIssuer.get(issuer)?.scopeForm;
    if (!form || !scopes) return scopes;
    this.#once(
      issuer,
      'scopes',
      `scopes are requested resource-qualified (${form.applicationIdUri}/<scope>)`,
    );
    return scopes.map((s) =>
      UNQUALIFIED.has(s) || s.includes('://') || s.startsWith(`${form.applicationIdUri}/`)
        ? s
        : `${form.applicationIdUri}/${s}`,
    );
  }
}
