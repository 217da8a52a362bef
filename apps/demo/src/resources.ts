/**
 * What the demo started, closed last-in first-out. Something registered after `closeAll`
 * (a server that finished starting after Ctrl-C) is closed at once, so nothing leaks.
 */
export class Resources {
  readonly #items: { name: string; close: () => Promise<void> }[] = [];
  #closed = false;

  add(name: string, close: () => Promise<void>): void {
    if (this.#closed) {
      void close().catch(() => undefined);
      return;
    }
    this.#items.push({ name, close });
  }

  /** Closes everything, each bounded by `timeoutMs`; returns the failures as readable lines. */
  async closeAll(timeoutMs = 5000): Promise<string[]> {
    this.#closed = true;
    const failures: string[] = [];
    for (const { name, close } of this.#items.splice(0).reverse()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          close(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`took longer than ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        failures.push(`could not close ${name}: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}
