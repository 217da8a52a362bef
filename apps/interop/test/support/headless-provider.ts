/**
 * An in-memory OAuth client provider in the shape both MCP SDK generations expect
 * (`OAuthClientProvider` of `@modelcontextprotocol/client` 2.x and of
 * `@modelcontextprotocol/sdk` 1.x): what an application writes to use the SDK's own OAuth
 * code, not `@prmkit/client`. The browser step is `login`, which takes the authorization
 * URL and returns the callback URL the authorization server redirected to.
 */
export class HeadlessOAuthProvider {
  #client: Record<string, unknown> | undefined;
  #tokens: Record<string, unknown> | undefined;
  #verifier = '';
  #callback: URL | undefined;
  #discovery: unknown;
  /** Every authorization URL the SDK sent the "browser" to. */
  readonly authorizationUrls: URL[] = [];

  constructor(
    private readonly options: {
      readonly redirectUri: string;
      readonly clientName: string;
      readonly login: (authorizationUrl: URL) => Promise<string>;
    },
  ) {}

  get redirectUrl(): string {
    return this.options.redirectUri;
  }

  get clientMetadata() {
    return {
      client_name: this.options.clientName,
      redirect_uris: [this.options.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.#client as never;
  }

  saveClientInformation(info: unknown): void {
    this.#client = info as Record<string, unknown>;
  }

  tokens() {
    return this.#tokens as never;
  }

  saveTokens(tokens: unknown): void {
    this.#tokens = tokens as Record<string, unknown>;
  }

  /** The scope of the stored tokens, as the token response said. */
  get grantedScope(): string | undefined {
    const scope = this.#tokens?.['scope'];
    return typeof scope === 'string' ? scope : undefined;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrls.push(url);
    this.#callback = new URL(await this.options.login(url));
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  /** SDK v2: discovery results kept between the redirect and the callback (SEP-2352). */
  saveDiscoveryState(state: unknown): void {
    this.#discovery = state;
  }

  discoveryState() {
    return this.#discovery as never;
  }

  /** The query of the last authorization response (code, state, iss); consumed once. */
  takeCallback(): URLSearchParams {
    const callback = this.#callback;
    if (callback === undefined) throw new Error('no authorization response: login never ran');
    this.#callback = undefined;
    return callback.searchParams;
  }
}
