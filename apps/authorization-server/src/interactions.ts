import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { checkCredentials } from './demo-users.js';
import type { ResolvedOptions } from './options.js';
import { PAGE_HEADERS } from './html.js';
import { consentPage, errorPage, loginPage, type RequestSummary } from './pages.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Form bodies here hold two short fields; anything bigger is not a login. */
const MAX_FORM_BYTES = 8 * 1024;
const BUILT_IN_SCOPES = new Set(['openid', 'offline_access']);

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const send = (res: ServerResponse, status: number, html: string): void => {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html) });
  res.end(html);
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpProblem(415, 'Unsupported form', 'Expected an HTML form post.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES)
      throw new HttpProblem(413, 'Form too large', 'The form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const asList = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
};

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * The login and consent steps oidc-provider delegates to the host application
 * (`interactions.url`), at `/interaction/<uid>`. Auto-approve mode answers both steps
 * without a page: it signs in the configured demo user and grants the requested scopes
 * that the server is configured to grant.
 */
export function createInteractionHandler(
  provider: Provider,
  options: ResolvedOptions,
): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const grantable = new Set(options.scopes);
  const usernames = options.users.map((user) => user.username);

  const summarize = async (interaction: Interaction): Promise<RequestSummary> => {
    const clientId = String(interaction.params.client_id ?? '');
    const client = await provider.Client.find(clientId);
    const requested =
      typeof interaction.params.scope === 'string' ? interaction.params.scope.split(' ') : [];
    return {
      uid: interaction.uid,
      clientId,
      clientName: client?.clientName ?? clientId,
      scopes: requested.filter((scope) => grantable.has(scope) || BUILT_IN_SCOPES.has(scope)),
      resources: asList(interaction.params.resource),
      redirectUri:
        typeof interaction.params.redirect_uri === 'string' ? interaction.params.redirect_uri : '',
    };
  };

  const finishLogin = async (
    req: IncomingMessage,
    res: ServerResponse,
    accountId: string,
  ): Promise<void> => {
    const result: InteractionResults = { login: { accountId } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  };

  /** Grants what the consent prompt reports missing, limited to the configured scopes. */
  const finishConsent = async (
    req: IncomingMessage,
    res: ServerResponse,
    interaction: Interaction,
  ): Promise<void> => {
    const accountId = interaction.session?.accountId;
    const clientId = String(interaction.params.client_id ?? '');
    if (accountId === undefined)
      throw new HttpProblem(400, 'Not signed in', 'Sign in before granting access.');
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId, clientId });
    if (grant === undefined)
      throw new HttpProblem(400, 'Request expired', 'This authorization request has expired.');
    const details = asRecord(interaction.prompt.details);
    // oidc-provider also reports the configured resource scopes here, since they are
    // listed in its `scopes` (which feeds `scopes_supported`).
    const oidcScopes = asList(details.missingOIDCScope).filter(
      (scope) => BUILT_IN_SCOPES.has(scope) || grantable.has(scope),
    );
    if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
    const claims = asList(details.missingOIDCClaims);
    if (claims.length > 0) grant.addOIDCClaims(claims);
    for (const [resource, scopes] of Object.entries(asRecord(details.missingResourceScopes))) {
      const allowed = asList(scopes).filter((scope) => grantable.has(scope));
      // An empty scope list still records consent for the resource itself.
      grant.addResourceScope(resource, allowed.join(' '));
    }
    const grantId = await grant.save();
    const result: InteractionResults = { consent: interaction.grantId ? {} : { grantId } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> => {
    const match = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(pathname);
    if (match === null) throw new HttpProblem(404, 'Not found', 'There is no such page.');
    const [, uid, action] = match;
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch {
      throw new HttpProblem(
        400,
        'Request expired',
        'This sign-in request has expired or was opened in another browser. Start again from the application.',
      );
    }
    if (interaction.uid !== uid)
      throw new HttpProblem(
        400,
        'Request mismatch',
        'This page belongs to another sign-in request.',
      );
    const prompt = interaction.prompt.name;

    if (action === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new HttpProblem(405, 'Method not allowed', 'Use GET.');
      if (options.autoApprove) {
        if (prompt === 'login') return finishLogin(req, res, options.autoApprove.username);
        if (prompt === 'consent') return finishConsent(req, res, interaction);
      }
      const summary = await summarize(interaction);
      if (prompt === 'login') return send(res, 200, loginPage(summary, { usernames }));
      if (prompt === 'consent') {
        return send(res, 200, consentPage(summary, interaction.session?.accountId ?? ''));
      }
      throw new HttpProblem(400, 'Unsupported step', `The "${prompt}" step is not supported.`);
    }

    if (req.method !== 'POST') throw new HttpProblem(405, 'Method not allowed', 'Use the form.');
    const form = await readForm(req);
    if (action === 'abort') {
      const result: InteractionResults = {
        error: 'access_denied',
        error_description: 'The user denied the request.',
      };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    if (action === 'login') {
      if (prompt !== 'login')
        throw new HttpProblem(400, 'Unexpected step', 'You are already signed in.');
      const user = checkCredentials(
        options.users,
        form.get('username') ?? '',
        form.get('password') ?? '',
      );
      if (user === undefined) {
        const html = loginPage(await summarize(interaction), {
          usernames,
          error: 'Wrong username or password.',
        });
        return send(res, 401, html);
      }
      return finishLogin(req, res, user.username);
    }
    if (prompt !== 'consent') throw new HttpProblem(400, 'Unexpected step', 'Sign in first.');
    return finishConsent(req, res, interaction);
  };

  return async (req, res, pathname) => {
    try {
      await handle(req, res, pathname);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpProblem) {
        send(res, error.status, errorPage(error.title, error.message));
        return;
      }
      // Logged (not shown) so a failing demo can be debugged; forms never carry tokens.
      console.error('authorization-server: interaction failed:', error);
      send(res, 500, errorPage('Something went wrong', 'The server could not complete this step.'));
    }
  };
}
