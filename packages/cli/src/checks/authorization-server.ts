import { authorizationServerMetadataProblems } from '@prmkit/client';
import type { DiscoveryStep, MetadataProblem, UrlPolicy } from '@prmkit/client';
import { jsonObject } from '../recorder.js';
import type { Recorder } from '../recorder.js';
import type { Check, StepReport } from '../types.js';
import { fail, pass, quote, skip, warn } from './check.js';
import { identityProviderChecks } from './identity-provider.js';
import { secureWord, transportNote, urlMemberProblems, urlProblem } from './urls.js';

const ENDPOINTS = ['authorization_endpoint', 'token_endpoint'] as const;
const OPTIONAL_URLS = [
  'jwks_uri',
  'registration_endpoint',
  'introspection_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
] as const;
const CONTENT_CHECKS = [
  'authorization_server.issuer',
  'authorization_server.endpoints',
  'authorization_server.response_types',
  'authorization_server.pkce',
  'authorization_server.registration',
  'authorization_server.iss_parameter',
] as const;

export interface AuthorizationServerInput {
  /** The issuer as listed in `authorization_servers`. */
  readonly issuer: string;
  /** The steps of the discovery run that chose this issuer. */
  readonly steps: readonly DiscoveryStep[];
  /** Why that run stopped, if it did. */
  readonly stoppedBecause: string | undefined;
  readonly recorder: Recorder;
  readonly policy: UrlPolicy;
}

/**
 * Checks one authorization server: its metadata is found at an RFC 8414 or OpenID
 * Connect location, `issuer` is identical, endpoints are https, S256 PKCE is advertised,
 * and clients have a way to register (dynamic registration or Client ID Metadata
 * Documents).
 *
 * @see RFC 8414 §2, §3.1, §3.3; RFC 7636 §4.2; RFC 7591; RFC 9207 §3
 */
export function checkAuthorizationServer(input: AuthorizationServerInput): StepReport {
  const { issuer } = input;
  const checks: Check[] = [];
  const step = (): StepReport => ({
    id: 'authorization_server',
    title: `Authorization server ${issuer}`,
    subject: issuer,
    checks,
  });

  const problem = urlProblem(issuer, input.policy);
  if (problem) {
    checks.push(
      fail(
        'authorization_server.https',
        `issuer ${quote(issuer)} ${problem}: clients must not use it`,
        'RFC 8414 §2; OAuth 2.1 §1.5',
      ),
    );
    return step();
  }
  checks.push(
    pass('authorization_server.https', `issuer uses ${transportNote(issuer)}`, 'RFC 8414 §2'),
  );

  const asSteps = input.steps.filter((s) => s.step === 'authorization_server_metadata');
  const decided = asSteps.find((s) => s.outcome !== 'miss');
  if (asSteps.length === 0) {
    checks.push(
      skip(
        'authorization_server.metadata',
        `not fetched: discovery stopped before this step (${input.stoppedBecause ?? 'not reached'})`,
        'RFC 8414 §3.1',
      ),
    );
    return step();
  }
  if (!decided) {
    const tried = asSteps
      .map((s) => `${s.url} (${s.status ?? s.detail ?? 'no answer'})`)
      .join(', ');
    checks.push(
      fail(
        'authorization_server.metadata',
        `no authorization server metadata found; tried ${tried}`,
        'RFC 8414 §3.1; OpenID Connect Discovery §4',
      ),
    );
    return step();
  }
  const exchange = input.recorder.find(decided.url);
  const document = jsonObject(exchange);
  const variant = decided.url.includes('/.well-known/openid-configuration')
    ? 'OpenID Connect Discovery'
    : 'RFC 8414';
  if (exchange?.status !== 200) {
    checks.push(
      fail(
        'authorization_server.metadata',
        `${decided.url} answered ${exchange?.status ?? decided.detail ?? 'nothing'}, 200 expected`,
        'RFC 8414 §3.2',
      ),
    );
  } else if (!document) {
    checks.push(
      fail(
        'authorization_server.metadata',
        `${decided.url} did not return an application/json object`,
        'RFC 8414 §3.2',
      ),
    );
  } else {
    checks.push(
      pass(
        'authorization_server.metadata',
        `found at ${decided.url} (${variant})`,
        variant === 'RFC 8414' ? 'RFC 8414 §3.1' : 'OpenID Connect Discovery §4',
      ),
    );
  }
  if (!document) {
    for (const id of CONTENT_CHECKS)
      checks.push(skip(id, 'no JSON document to check', 'RFC 8414 §2'));
    return step();
  }

  // The client's own rules (what discover() and createAuthorizationRequest refuse), each
  // reported under its member's check; endpoint URLs are judged below with the CLI's switch names.
  const problems = authorizationServerMetadataProblems(document, {
    ...input.policy,
    expectedIssuer: issuer,
    pkce: 'require-advertised',
  });
  checks.push(
    problemCheck(
      'authorization_server.issuer',
      problems.find((p) => p.member === 'issuer'),
      `issuer is identical to ${quote(issuer)}`,
      'RFC 8414 §3.3',
    ),
  );
  checks.push(endpointsCheck(document, input.policy));
  const responseTypes = document['response_types_supported'];
  checks.push(
    Array.isArray(responseTypes) && responseTypes.includes('code')
      ? pass(
          'authorization_server.response_types',
          'response_types_supported includes "code"',
          'RFC 8414 §2',
        )
      : fail(
          'authorization_server.response_types',
          `response_types_supported (REQUIRED) must include "code", got ${quote(responseTypes)}`,
          'RFC 8414 §2; OAuth 2.1 §4.1',
        ),
  );
  checks.push(
    problemCheck(
      'authorization_server.pkce',
      problems.find((p) => p.member === 'code_challenge_methods_supported'),
      'PKCE S256 advertised',
      'RFC 7636 §4.2; RFC 8414 §2; MCP 2025-11-25 authorization (PKCE)',
    ),
  );
  checks.push(registrationCheck(document, input.policy));
  checks.push(...identityProviderChecks(issuer, document));
  checks.push(
    document['authorization_response_iss_parameter_supported'] === true
      ? pass(
          'authorization_server.iss_parameter',
          'returns iss in authorization responses (mix-up defence)',
          'RFC 9207 §3',
        )
      : warn(
          'authorization_server.iss_parameter',
          'authorization_response_iss_parameter_supported is not true: no mix-up defence with several servers',
          'RFC 9207 §3',
        ),
  );
  return step();
}

function endpointsCheck(document: Record<string, unknown>, policy: UrlPolicy): Check {
  const id = 'authorization_server.endpoints';
  const problems = urlMemberProblems(document, [...ENDPOINTS, ...OPTIONAL_URLS], policy, ENDPOINTS);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return fail(id, `${problems[0] ?? ''}${more}`, 'RFC 8414 §2; OAuth 2.1 §1.5');
  }
  return pass(
    id,
    `authorization and token endpoints present, every endpoint ${secureWord(policy)}`,
    'RFC 8414 §2',
  );
}

/** FAIL with the client's reason when it found a problem, else PASS. */
function problemCheck(
  id: string,
  problem: MetadataProblem | undefined,
  passReason: string,
  spec: string,
): Check {
  return problem ? fail(id, problem.message, problem.see) : pass(id, passReason, spec);
}

function registrationCheck(document: Record<string, unknown>, policy: UrlPolicy): Check {
  const id = 'authorization_server.registration';
  const spec = 'MCP 2025-11-25 authorization (client registration); RFC 7591 §3';
  const ways: string[] = [];
  if (document['client_id_metadata_document_supported'] === true)
    ways.push('Client ID Metadata Documents');
  const registration = document['registration_endpoint'];
  if (registration !== undefined && urlProblem(registration, policy) === undefined)
    ways.push('dynamic client registration');
  if (ways.length === 0) {
    return warn(
      id,
      'neither client_id_metadata_document_supported nor registration_endpoint: clients need a pre-registered client_id',
      spec,
    );
  }
  return pass(id, `clients can register by ${ways.join(' and ')}`, spec);
}
