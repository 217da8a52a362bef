import type { Style } from './style.js';

/** Where the demo writes: anything with `write(text)` (process.stdout, a test buffer). */
export interface OutputSink {
  write(text: string): unknown;
}

/**
 * Human-friendly output of the demo: numbered section headings, request lines and
 * indented details, each written the moment it happens.
 */
export class Reporter {
  #section = 0;
  #muted = false;
  constructor(
    readonly out: OutputSink,
    readonly style: Style,
  ) {}

  line(text = ''): void {
    if (!this.#muted) this.out.write(`${text}\n`);
  }

  /**
   * Silences everything but {@link final}: after a failure or Ctrl-C, requests still in
   * flight must not print below the verdict.
   */
  mute(): void {
    this.#muted = true;
  }

  /** Written even when muted. */
  final(text: string): void {
    this.out.write(`${text}\n`);
  }

  /** A numbered heading, e.g. `3. Authorization server metadata (RFC 8414)`. */
  section(title: string, note?: string): void {
    this.#section += 1;
    const s = this.style;
    this.line();
    this.line(
      `${s.bold(s.cyan(`${this.#section}.`))} ${s.bold(title)}${note ? `  ${s.dim(note)}` : ''}`,
    );
  }

  /** One HTTP exchange: method, path, status, time. */
  exchange(
    method: string,
    target: string,
    status: number | string,
    ms: number,
    label?: string,
  ): void {
    const s = this.style;
    const code =
      typeof status === 'number' ? statusColor(s, status)(String(status)) : s.red(status);
    const what = label ? ` ${s.magenta(label)}` : '';
    this.line(
      `   ${s.dim('→')} ${s.bold(method.padEnd(4))} ${target}${what}  ${s.dim('⇢')} ${code} ${s.dim(`${ms} ms`)}`,
    );
  }

  /** An indented `label  value` pair under the last line. */
  detail(label: string, value: string): void {
    this.line(`       ${this.style.dim(label.padEnd(24))} ${value}`);
  }

  /** A short explanation of why something happened. */
  note(text: string): void {
    this.line(`       ${this.style.yellow('↳')} ${text}`);
  }

  ok(text: string): void {
    this.line(`   ${this.style.green('✔')} ${text}`);
  }

  fail(text: string): void {
    this.line(`   ${this.style.red('✘')} ${text}`);
  }
}

const statusColor = (s: Style, status: number): ((text: string) => string) => {
  if (status >= 200 && status < 300) return s.green;
  if (status >= 300 && status < 400) return s.blue;
  return status === 401 || status === 403 ? s.yellow : s.red;
};
