import type { Report } from '../types.js';

/**
 * The `--json` output: the {@link Report} object, pretty-printed, one trailing newline.
 *
 * @example
 * ```ts
 * const report = JSON.parse(renderJson(await inspect(url)));
 * ```
 * @see RFC 8259 (JSON)
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
