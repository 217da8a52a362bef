import type { Report } from '../types.js';
import { paint, sanitize, statusLabel } from './style.js';
import type { Style } from './style.js';

/**
 * The human-readable report: one block per step, one line per check (`STATUS  reason
 * [spec]`), then a summary line.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(report, { color: false }));
 * ```
 * @see RFC 9728, RFC 6750 §3, RFC 8414 (each check line names its section)
 */
export function renderText(report: Report, style: Style): string {
  const lines: string[] = [];
  lines.push(paint(style, 'bold', `prmkit inspect ${sanitize(report.url)}`), '');
  for (const step of report.steps) {
    const subject =
      step.subject && !step.title.includes(step.subject)
        ? `  ${paint(style, 'dim', sanitize(step.subject))}`
        : '';
    lines.push(`${paint(style, 'bold', sanitize(step.title))}${subject}`);
    for (const check of step.checks) {
      lines.push(
        `  ${statusLabel(style, check.status)}  ${sanitize(check.reason)}  ${paint(style, 'dim', `[${check.spec}]`)}`,
      );
    }
    lines.push('');
  }
  const { pass, warn, fail, skip } = report.summary;
  const verdict = report.ok ? paint(style, 'green', 'OK') : paint(style, 'red', 'FAILED');
  lines.push(
    `${verdict}: ${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped (${report.requests.length} requests, ${report.durationMs} ms)`,
  );
  return `${lines.join('\n')}\n`;
}
