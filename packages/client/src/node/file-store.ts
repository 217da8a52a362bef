import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { storeKeyId } from '../store.js';
import type { CredentialStore, StoreKey, StoredCredentials } from '../store.js';

/**
 * Credentials in one JSON file readable by its owner only (mode 0600, directory 0700),
 * replaced atomically on every write. Keys are (resource, issuer). DPoP-bound tokens are
 * kept in memory only: their key is non-extractable, so a file cannot hold it (RFC 9449 §2).
 *
 * @example
 * ```ts
 * import { homedir } from 'node:os';
 * import { FileCredentialStore } from '@prmkit/client/node';
 * const store = new FileCredentialStore(`${homedir()}/.config/my-app/credentials.json`);
 * createAuthFetch({ store, redirectUri, openAuthorizationUrl });
 * ```
 * @see RFC 6749 §10.3, §10.4 (token confidentiality)
 */
export class FileCredentialStore implements CredentialStore {
  readonly #path: string;
  /** Entries holding a DPoP key, which only memory can keep. */
  readonly #live = new Map<string, StoredCredentials>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async get(key: StoreKey): Promise<StoredCredentials | undefined> {
    await this.#queue;
    return this.#live.get(storeKeyId(key)) ?? (await this.#read())[storeKeyId(key)];
  }

  set(key: StoreKey, value: StoredCredentials): Promise<void> {
    const id = storeKeyId(key);
    // A DPoP key is non-extractable: it cannot be written to a file. Its tokens live in
    // memory for this process; the file keeps the client registration only.
    const bound = value.tokens?.dpopKey !== undefined;
    if (bound) this.#live.set(id, value);
    else this.#live.delete(id);
    return this.#update((all) => {
      all[id] = bound ? { client: value.client } : value;
    });
  }

  delete(key: StoreKey): Promise<void> {
    this.#live.delete(storeKeyId(key));
    return this.#update((all) => {
      delete all[storeKeyId(key)];
    });
  }

  async #read(): Promise<Record<string, StoredCredentials>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, StoredCredentials>)
      : {};
  }

  #update(change: (all: Record<string, StoredCredentials>) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const all = await this.#read();
      change(all);
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      const tmp = `${this.#path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
      await chmod(tmp, 0o600); // in case the umask or an old file widened it
      await rename(tmp, this.#path);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
