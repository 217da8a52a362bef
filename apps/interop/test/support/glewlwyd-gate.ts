import { glewlwydAvailability } from '@prmkit/interop';
import { describe, it } from 'vitest';

const found = glewlwydAvailability();
const required = process.env['PRMKIT_REQUIRE_GLEWLWYD'] === '1';

/**
 * `describe` for suites that run Glewlwyd. Without it: a failing test naming what is
 * missing when PRMKIT_REQUIRE_GLEWLWYD=1 (CI), else a skipped suite and one warning.
 */
export function describeWithGlewlwyd(name: string, suite: () => void): void {
  if (found.available) {
    describe(name, suite);
    return;
  }
  const why = `Glewlwyd is not installed (missing ${found.missing.join(', ')}); install it with: ${found.hint}`;
  if (required) {
    describe(name, () => {
      it('needs Glewlwyd (PRMKIT_REQUIRE_GLEWLWYD=1)', () => {
        throw new Error(why);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${why} (set PRMKIT_REQUIRE_GLEWLWYD=1 to fail instead)`);
  describe.skip(name, suite);
}
