import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The path of a service binary (a Debian package such as `redis-server` or `nginx`):
 * first the usual Debian location, then `PATH`. `undefined` when it is not installed;
 * with `PRMKIT_REQUIRE_SERVICES=1` (set by CI) a missing binary throws instead, naming the
 * apt package, so CI cannot pass by skipping.
 *
 * @example
 * ```ts
 * const redis = locateService('redis-server', '/usr/bin/redis-server', 'redis-server');
 * describe.skipIf(redis === undefined)('with Redis', () => { … });
 * ```
 */
export function locateService(
  name: string,
  debianPath: string,
  aptPackage: string,
): string | undefined {
  const candidates = [
    debianPath,
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, name)),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  if (process.env['PRMKIT_REQUIRE_SERVICES'] === '1') {
    throw new Error(
      `${name} is required (PRMKIT_REQUIRE_SERVICES=1) but not installed: apt-get install -y ${aptPackage}`,
    );
  }
  return undefined;
}
