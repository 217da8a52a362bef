import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { inspect, renderText } from '../src/index.js';
import type { Report } from '../src/index.js';
import {
  identityProviderChecks,
  recognizeIdentityProvider,
} from '../src/checks/identity-provider.js';
import { startCoreServer, type CoreServer } from './fixtures.js';

const ids = (issuer: string, doc: Record<string, unknown> = {}) =>
  identityProviderChecks(issuer, doc).map((c) => [c.id, c.status]);

// Issuers and metadata members as each IdP publishes them in its discovery document.
describe('recognizing identity providers from authorization server metadata', () => {
  it.each([
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', 'entra'],
    ['https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/', 'entra'],
    ['https://example.us.auth0.com/', 'auth0'],
    ['https://example.okta.com/oauth2/default', 'okta'],
    ['https://example.okta.com', 'okta'],
    ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123', 'cognito'],
    ['https://accounts.google.com', 'google'],
    ['https://github.com/login/oauth', 'github'],
    ['https://example.authkit.app', 'workos'],
    ['https://sso.example.com/realms/mcp', 'keycloak'],
  ])('%s is %s', (issuer, id) => {
    expect(recognizeIdentityProvider(issuer, {})?.id).toBe(id);
  });

  it('recognizes nothing for other servers', () => {
    expect(recognizeIdentityProvider('https://as.example.com', {})).toBeUndefined();
    expect(
      recognizeIdentityProvider('https://login.microsoftonline.com.evil.example', {}),
    ).toBeUndefined();
    expect(recognizeIdentityProvider('https://okta.com.evil.example', {})).toBeUndefined();
    expect(identityProviderChecks('https://as.example.com', {})).toEqual([]);
    // Keycloak by path only when the endpoints look like Keycloak's.
    expect(
      recognizeIdentityProvider('https://as.example.com/realms/x', {
        token_endpoint: 'https://as.example.com/token',
      }),
    ).toBeUndefined();
  });

  it('Entra: resource, audience, the {tenantid} template and the missing registration, each with its fix', () => {
    const checks = identityProviderChecks('https://login.microsoftonline.com/organizations/v2.0', {
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    });
    expect(checks.map((c) => c.id)).toEqual([
      'identity_provider.entra_resource',
      'identity_provider.entra_audience',
      'identity_provider.entra_tenant_template',
      'identity_provider.entra_client_registration',
    ]);
    expect(checks.every((c) => c.status === 'warn')).toBe(true);
    expect(checks[0]?.reason).toMatch(/AADSTS9010010.*fix: .*omitResourceParameter/);
    expect(checks[3]?.reason).toMatch(/pre-registered client id; fix:/);
  });

  it('Okta: the org server is a pitfall of its own; a custom server gets the claim hint', () => {
    expect(
      ids('https://example.okta.com', {
        registration_endpoint: 'https://example.okta.com/oauth2/v1/clients',
      }),
    ).toEqual([['identity_provider.okta_org_server', 'warn']]);
    expect(
      ids('https://example.okta.com/oauth2/default', { registration_endpoint: 'https://x' }),
    ).toEqual([['identity_provider.okta_claims', 'warn']]);
  });

  it('no registration warning when the IdP supports CIMD or dynamic registration', () => {
    expect(
      ids('https://example.authkit.app', { client_id_metadata_document_supported: true }),
    ).toEqual([['identity_provider.workos_resource_indicator', 'warn']]);
    expect(ids('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X')).toContainEqual([
      'identity_provider.cognito_client_registration',
      'warn',
    ]);
  });
});

describe('prmkit inspect against a Keycloak-shaped authorization server', () => {
  let issuer: TestIssuer;
  let server: CoreServer;
  let report: Report;
  beforeAll(async () => {
    issuer = await createTestIssuer({
      path: '/realms/mcp',
      scope: 'mcp:read',
      metadataOverrides: {
        token_endpoint: 'https://sso.example.com/realms/mcp/protocol/openid-connect/token',
        registration_endpoint: undefined,
        authorization_response_iss_parameter_supported: true,
      },
    });
    server = await startCoreServer(issuer);
    report = await inspect(server.url, { allowHttp: 'loopback', timeoutMs: 5000 });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  it('prints the audience mapper and the pre-registered client as WARN lines with the fix', () => {
    const checks = report.steps.flatMap((s) => s.checks);
    const byId = (id: string) => checks.find((c) => c.id === id);
    expect(byId('identity_provider.keycloak_audience_mapper')?.status).toBe('warn');
    expect(byId('identity_provider.keycloak_client_registration')?.status).toBe('warn');
    const text = renderText(report, { color: false });
    expect(text).toMatch(/WARN.*audience mapper/i);
    expect(text).toMatch(/Included Custom Audience/);
  });
});
