import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Where the Debian package `glewlwyd` puts what a headless start needs. */
export const GLEWLWYD_PATHS = Object.freeze({
  binary: '/usr/bin/glewlwyd',
  sqliteInit: '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
  modules: '/usr/lib/glewlwyd',
});

/** The one command that installs everything {@link startGlewlwyd} needs. */
export const GLEWLWYD_INSTALL_HINT = 'sudo apt-get install -y glewlwyd sqlite3';

/** Whether Glewlwyd can be started here, and if not, what is missing. */
export type GlewlwydAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly missing: readonly string[]; readonly hint: string };

const readable = (path: string, mode = constants.R_OK): boolean => {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
};

/**
 * Checks for the Glewlwyd binary, its modules and sqlite init script (Debian package
 * `glewlwyd`) and the `sqlite3` command that creates its database.
 *
 * @example
 * ```ts
 * const found = glewlwydAvailability();
 * if (!found.available) console.log(`missing ${found.missing.join(', ')}; ${found.hint}`);
 * ```
 */
export function glewlwydAvailability(): GlewlwydAvailability {
  const missing: string[] = [];
  if (!readable(GLEWLWYD_PATHS.binary, constants.X_OK)) missing.push(GLEWLWYD_PATHS.binary);
  if (!readable(GLEWLWYD_PATHS.sqliteInit)) missing.push(GLEWLWYD_PATHS.sqliteInit);
  if (!readable(`${GLEWLWYD_PATHS.modules}/plugin`))
    missing.push(`${GLEWLWYD_PATHS.modules}/plugin`);
  if (spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status !== 0)
    missing.push('sqlite3 (command)');
  return missing.length === 0
    ? { available: true }
    : { available: false, missing, hint: GLEWLWYD_INSTALL_HINT };
}
