import type { ProgressEvent } from '../types.js';
import { paint, sanitize, statusLabel } from './style.js';
import type { Style } from './style.js';

/** Where progress goes: a writable stream, possibly a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(chunk: string): unknown;
}

/**
 * Live progress. On a TTY one status line is rewritten in place (each request as it
 * completes, each step's verdict) and cleared by `done()` before the report is printed;
 * elsewhere, one plain line per event.
 */
export function createProgress(
  stream: ProgressStream,
  style: Style,
): { onProgress: (event: ProgressEvent) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let dirty = false;
  const line = (text: string): void => {
    if (tty) {
      stream.write(`\r\u001b[2K${text}`);
      dirty = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  return {
    onProgress(event) {
      if (event.type === 'request') {
        const r = event.request;
        const outcome = r.status ?? r.error ?? 'no answer';
        line(
          `${paint(style, 'dim', '…')} ${r.method} ${sanitize(r.url, 120)} -> ${sanitize(String(outcome), 60)} (${r.ms} ms)`,
        );
        return;
      }
      const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
      for (const c of event.step.checks) counts[c.status] += 1;
      const worst =
        counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : counts.pass > 0 ? 'pass' : 'skip';
      line(
        `${statusLabel(style, worst)} ${sanitize(event.step.title, 120)}: ${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail`,
      );
    },
    done() {
      if (tty && dirty) stream.write('\r\u001b[2K');
    },
  };
}
