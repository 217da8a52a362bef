import type { CheckStatus } from '../types.js';

/** How to write to one stream: colors or not. */
export interface Style {
  readonly color: boolean;
}

/**
 * Colors only on a TTY, and never when `NO_COLOR` is set to a non-empty value
 * (https://no-color.org).
 */
export function styleFor(
  stream: { isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Style {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return { color: stream.isTTY === true && !noColor };
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

export function paint(style: Style, code: keyof typeof CODES, text: string): string {
  return style.color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text;
}

const STATUS_COLOR: Record<CheckStatus, keyof typeof CODES> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'dim',
};

/** `PASS`, `WARN`, `FAIL`, `SKIP`, colored when the style allows. */
export function statusLabel(style: Style, status: CheckStatus): string {
  return paint(style, STATUS_COLOR[status], status.toUpperCase());
}

// C0, DEL, C1 and the Unicode line separators: anything a terminal may act on.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Makes text received from a server safe to print: control characters (terminal escape
 * sequences, newlines) are shown escaped, and very long text is cut.
 */
export function sanitize(text: string, max = 400): string {
  const clean = text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}
