import type { ResourceServerConfig } from '../server/config-types.js';
import { type ConfigIssue, PrmkitConfigError } from '../model/errors.js';

/**
 * What a `profiles.*` function returns: the part of a `ResourceServerConfig` that
 * describes the authorization server. Spread it into the config next to `resource`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.workos({ domain: 'example.authkit.app' }),
 * });
 * ```
 */
export type ProfileFragment = Required<Pick<ResourceServerConfig, 'authorizationServers'>> &
  Pick<ResourceServerConfig, 'jwt' | 'audienceAliases' | 'profile' | 'verifier' | 'tokenCache'>;

/** Collects option problems of one profile and throws them together. */
export class ProfileIssues {
  readonly #issues: ConfigIssue[] = [];
  constructor(readonly profile: string) {}

  add(path: string, message: string): void {
    this.#issues.push({ path: `profiles.${this.profile}.${path}`, message });
  }

  /** A non-empty string option, or an issue. */
  string(path: string, value: unknown): value is string {
    if (typeof value === 'string' && value.trim() !== '' && value === value.trim()) return true;
    this.add(path, 'must be a non-empty string without surrounding spaces');
    return false;
  }

  /** A host name option (no scheme, no path), or an issue. */
  host(path: string, value: unknown): value is string {
    if (!this.string(path, value)) return false;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(value)) {
      this.add(
        path,
        `must be a lower-case host name such as "example.com", not ${JSON.stringify(value)}`,
      );
      return false;
    }
    return true;
  }

  /** An https URL option without query or fragment, or an issue. */
  httpsUrl(path: string, value: unknown): value is string {
    if (!this.string(path, value)) return false;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.add(path, 'must be an absolute URL');
      return false;
    }
    if (url.protocol !== 'https:' || url.search || url.hash || value.includes('#')) {
      this.add(path, 'must be an https URL without query or fragment');
      return false;
    }
    return true;
  }

  throwIfAny(): void {
    if (this.#issues.length > 0) throw new PrmkitConfigError(this.#issues);
  }
}

/** Splits a space-delimited claim value into scope tokens. */
export function spaceDelimited(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter((s) => s !== '') : [];
}

/** The string elements of an array claim. */
export function stringArray(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}

/** Refuses anything but an options object, before any member is read. */
export function requireOptions(profile: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PrmkitConfigError([
      { path: `profiles.${profile}`, message: 'options must be an object' },
    ]);
  }
}
