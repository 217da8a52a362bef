import { auth0 } from './auth0.js';
import { cognito } from './cognito.js';
import { entra } from './entra.js';
import { github } from './github.js';
import { google } from './google.js';
import { keycloak } from './keycloak.js';
import { okta } from './okta.js';
import { workos } from './workos.js';

/**
 * Identity provider profiles: one function per IdP, each validating its options (a bad one
 * throws `PrmkitConfigError`) and returning the configuration fragment that states the
 * IdP's deviations from RFC 9068 explicitly. Spread it next to `resource`. The audience stays
 * exact; aliases, claim names and relaxed claims are named in the fragment and reported in
 * decisions. One page per IdP: `docs/identity-providers/`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.entra({
 *     tenants: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *     applicationId: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
 *   }),
 * });
 * ```
 * @see RFC 9068 §2.2 (required claims), RFC 8707 §2 (audience)
 */
export const profiles = { auth0, cognito, entra, github, google, keycloak, okta, workos } as const;

export type { Auth0ProfileOptions } from './auth0.js';
export type { CognitoProfileOptions } from './cognito.js';
export type { EntraProfileOptions } from './entra.js';
export type { GithubProfileOptions } from './github.js';
export type { GoogleProfileOptions } from './google.js';
export type { KeycloakProfileOptions } from './keycloak.js';
export type { OktaProfileOptions } from './okta.js';
export type { WorkosProfileOptions } from './workos.js';
export type { ProfileFragment } from './profile-fragment.js';
export type { OpaqueTokenEndpointOptions } from './opaque-token-endpoint.js';
