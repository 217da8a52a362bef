import { escapeHtml, page } from './html.js';

/** What the login and consent pages show about the request. */
export interface RequestSummary {
  readonly uid: string;
  readonly clientName: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  /** Where the browser goes next; shown so a user can spot a look-alike client. */
  readonly redirectUri: string;
}

const clientLine = (summary: RequestSummary): string =>
  `<p class="sub"><strong>${escapeHtml(summary.clientName)}</strong> wants to access your account.</p>`;

const list = (items: readonly string[], empty: string): string =>
  items.length === 0
    ? `<p>${escapeHtml(empty)}</p>`
    : `<ul>${items.map((item) => `<li><code>${escapeHtml(item)}</code></li>`).join('')}</ul>`;

/** The sign-in form; posts to `/interaction/<uid>/login`. */
export function loginPage(
  summary: RequestSummary,
  options: { error?: string; usernames: readonly string[] },
): string {
  const uid = encodeURIComponent(summary.uid);
  const error = options.error
    ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  const hint =
    options.usernames.length > 0
      ? `<p class="hint">Demo users: ${options.usernames.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')} (the password is the user name).</p>`
      : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
${clientLine(summary)}
${error}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="username">Username</label>
<input type="text" id="username" name="username" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" required>
<div class="actions">
<button type="submit" class="primary" id="sign-in">Sign in</button>
</div>
</form>
<form method="post" action="/interaction/${uid}/abort">
<div class="actions"><button type="submit" class="secondary" id="cancel">Cancel</button></div>
</form>
${hint}`,
  );
}

/** The consent screen: client, scopes and resources; posts to `confirm` or `abort`. */
export function consentPage(summary: RequestSummary, username: string): string {
  const uid = encodeURIComponent(summary.uid);
  return page(
    'Authorize access',
    `<h1>Authorize access</h1>
${clientLine(summary)}
<p>Signed in as <strong>${escapeHtml(username)}</strong>.</p>
<div class="section"><h2>Client</h2><p><code>${escapeHtml(summary.clientId)}</code></p></div>
<div class="section"><h2>Permissions</h2>${list(summary.scopes, 'No scopes requested.')}</div>
<div class="section"><h2>Resource</h2>${list(summary.resources, 'No resource named.')}</div>
<div class="section"><h2>Returns to</h2>${list(summary.redirectUri ? [summary.redirectUri] : [], 'The registered address.')}</div>
<div class="actions">
<form method="post" action="/interaction/${uid}/abort" style="flex:1;display:flex"><button type="submit" class="secondary" id="deny">Deny</button></form>
<form method="post" action="/interaction/${uid}/confirm" style="flex:1;display:flex"><button type="submit" class="primary" id="approve">Approve</button></form>
</div>`,
  );
}

/** A plain error page; never shows stack traces or internal details. */
export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
