// Identity provider profiles: each returns the config fragment for one IdP (issue #15).
export { auth0, type Auth0ProfileOptions } from './auth0.js';
export { cognito, type CognitoProfileOptions } from './cognito.js';
export { entra, type EntraProfileOptions } from './entra.js';
export { github, GITHUB_ISSUER, type GithubProfileOptions } from './github.js';
export { google, GOOGLE_ISSUER, type GoogleProfileOptions } from './google.js';
export { keycloak, type KeycloakProfileOptions } from './keycloak.js';
export { okta, type OktaProfileOptions } from './okta.js';
export { workos, type WorkosProfileOptions } from './workos.js';
export type { ProfileFragment } from './profile-fragment.js';
export type { OpaqueTokenEndpointOptions } from './opaque-token-endpoint.js';
