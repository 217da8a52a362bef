/** ANSI styling that can be switched off as a whole (NO_COLOR, --no-color, non-TTY). */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

/** Inputs of {@link colorEnabled}. */
export interface ColorContext {
  /** `false` when `--no-color` was given. */
  readonly flag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

/**
 * Colour only for a terminal, never when `NO_COLOR` is set to anything non-empty
 * (https://no-color.org) or `--no-color` was given; `FORCE_COLOR` (not `0`) forces it on.
 *
 * @example
 * ```ts
 * colorEnabled({ flag: true, env: process.env, isTTY: process.stdout.isTTY === true });
 * ```
 * @see https://no-color.org
 */
export function colorEnabled({ flag, env, isTTY }: ColorContext): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return isTTY && env.TERM !== 'dumb';
}

const sgr =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/**
 * Builds the styling functions; with `enabled` false every function returns its input.
 *
 * @example
 * ```ts
 * const s = createStyle(true);
 * console.log(s.green('ok'));
 * ```
 * @see https://no-color.org
 */
export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    blue: sgr(enabled, 34, 39),
    magenta: sgr(enabled, 35, 39),
    cyan: sgr(enabled, 36, 39),
  };
}
