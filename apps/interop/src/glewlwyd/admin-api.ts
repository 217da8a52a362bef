import { CookieJar } from './cookie-jar.js';

/** A Glewlwyd admin REST call that did not answer 2xx. */
export class GlewlwydAdminError extends Error {
  override readonly name = 'GlewlwydAdminError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The admin REST API (`/api/...`) of one Glewlwyd, signed in as its admin. */
export class GlewlwydAdmin {
  readonly #jar = new CookieJar();

  private constructor(readonly apiUrl: string) {}

  /** Signs in with the admin account the sqlite init script creates. */
  static async signIn(
    apiUrl: string,
    username = 'admin',
    password = 'password',
  ): Promise<GlewlwydAdmin> {
    const admin = new GlewlwydAdmin(apiUrl);
    await admin.call('POST', '/auth/', { username, password });
    return admin;
  }

  /** One JSON call; resolves to the parsed body (or undefined when empty). */
  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        ...this.#jar.header(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    this.#jar.store(response);
    const text = await response.text();
    if (!response.ok) {
      throw new GlewlwydAdminError(
        response.status,
        `glewlwyd admin ${method} ${path} answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
      );
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}
