import { findChallenge, parseWwwAuthenticate } from '@prmkit/core';
import { isScopeToken } from '@prmkit/core/verify';
import type { Challenge } from '@prmkit/core';
import type { UrlPolicy } from '@prmkit/client';
import type { Exchange } from '../recorder.js';
import type { Check } from '../types.js';
import { fail, pass, quote, skip, warn } from './check.js';
import { urlProblem } from './urls.js';

const MCP_AUTH = 'MCP 2025-11-25 authorization';

/** What the challenge step found, for the later steps. */
export interface ChallengeFacts {
  readonly checks: Check[];
  /** The Bearer challenge of the 401, if any. */
  readonly bearer: Challenge | undefined;
}

/**
 * Checks the answer to the unauthenticated request: a 401 carrying an RFC 6750 Bearer
 * challenge without an error code, with an absolute `resource_metadata` URL and a `scope`.
 *
 * @see RFC 6750 §3, §3.1; RFC 9728 §5.1; RFC 9110 §11.6.1
 */
export function checkChallenge(probe: Exchange | undefined, policy: UrlPolicy): ChallengeFacts {
  const checks: Check[] = [];
  if (!probe || probe.status === undefined) {
    checks.push(
      fail(
        'challenge.status',
        `no response to an unauthenticated request${probe?.error ? ` (${probe.error})` : ''}`,
        MCP_AUTH,
      ),
    );
    return { checks, bearer: undefined };
  }
  const status = probe.status;
  if (status === 401) {
    checks.push(
      pass(
        'challenge.status',
        'an unauthenticated request is answered 401 Unauthorized',
        'RFC 6750 §3',
      ),
    );
  } else if (status >= 200 && status < 300) {
    checks.push(
      fail(
        'challenge.status',
        `an unauthenticated request is answered ${status}: the endpoint is not protected`,
        'RFC 6750 §3',
      ),
    );
  } else if (status >= 300 && status < 400) {
    checks.push(
      fail(
        'challenge.status',
        `an unauthenticated request is redirected (${status} to ${quote(probe.headers?.get('location') ?? '')}), 401 expected`,
        MCP_AUTH,
      ),
    );
  } else {
    checks.push(
      fail(
        'challenge.status',
        `an unauthenticated request is answered ${status}, 401 expected`,
        'RFC 6750 §3',
      ),
    );
  }

  const header = probe.headers?.get('www-authenticate') ?? null;
  if (header === null) {
    const id = 'challenge.www_authenticate';
    checks.push(
      status === 401
        ? fail(
            id,
            'the 401 carries no WWW-Authenticate header: clients cannot discover how to authenticate',
            'RFC 6750 §3; RFC 9110 §15.5.2',
          )
        : fail(id, `no WWW-Authenticate challenge on the ${status} response`, 'RFC 6750 §3'),
    );
    for (const id of ['challenge.error', 'challenge.resource_metadata', 'challenge.scope']) {
      checks.push(skip(id, 'no challenge to check', 'RFC 6750 §3'));
    }
    return { checks, bearer: undefined };
  }
  const challenges = parseWwwAuthenticate(header);
  const bearer = findChallenge(challenges, 'Bearer');
  if (challenges.length === 0) {
    checks.push(
      fail(
        'challenge.www_authenticate',
        `WWW-Authenticate does not parse: ${quote(header)}`,
        'RFC 9110 §11.6.1',
      ),
    );
  } else if (!bearer) {
    const schemes = challenges.map((c) => c.scheme).join(', ');
    checks.push(
      fail(
        'challenge.www_authenticate',
        `no Bearer challenge (schemes: ${schemes})`,
        'RFC 6750 §3',
      ),
    );
  } else if (bearer.token68 !== undefined) {
    checks.push(
      fail(
        'challenge.www_authenticate',
        'the Bearer challenge uses token68 syntax; RFC 6750 allows only auth-params',
        'RFC 6750 §3',
      ),
    );
  } else {
    checks.push(
      pass(
        'challenge.www_authenticate',
        'WWW-Authenticate carries a well-formed Bearer challenge',
        'RFC 6750 §3; RFC 9110 §11.6.1',
      ),
    );
  }
  if (!bearer || bearer.token68 !== undefined) {
    for (const id of ['challenge.error', 'challenge.resource_metadata', 'challenge.scope']) {
      checks.push(skip(id, 'no Bearer challenge to check', 'RFC 6750 §3'));
    }
    return { checks, bearer: undefined };
  }

  const error = bearer.params['error'];
  checks.push(
    error === undefined
      ? pass(
          'challenge.error',
          'no error code on a request that carried no credentials',
          'RFC 6750 §3.1',
        )
      : fail(
          'challenge.error',
          `error=${quote(error)} on a request that carried no credentials (SHOULD NOT)`,
          'RFC 6750 §3.1',
        ),
  );

  const rm = bearer.params['resource_metadata'];
  if (rm === undefined) {
    checks.push(
      warn(
        'challenge.resource_metadata',
        'no resource_metadata parameter: clients must guess the well-known URLs',
        'RFC 9728 §5.1',
      ),
    );
  } else {
    const problem = urlProblem(rm, policy);
    checks.push(
      problem === undefined
        ? pass(
            'challenge.resource_metadata',
            `resource_metadata is an absolute URL: ${quote(rm)}`,
            'RFC 9728 §5.1',
          )
        : fail(
            'challenge.resource_metadata',
            `resource_metadata ${quote(rm)} ${problem}`,
            'RFC 9728 §5.1',
          ),
    );
  }

  const scope = bearer.params['scope'];
  if (scope === undefined) {
    checks.push(
      warn(
        'challenge.scope',
        'no scope parameter: clients fall back to scopes_supported',
        `${MCP_AUTH} (scope selection); RFC 6750 §3`,
      ),
    );
  } else if (!scope.split(' ').every((s) => isScopeToken(s))) {
    checks.push(
      fail(
        'challenge.scope',
        `scope ${quote(scope)} is not a space-separated list of scope tokens`,
        'RFC 6750 §3',
      ),
    );
  } else {
    checks.push(
      pass('challenge.scope', `scope=${quote(scope)} tells clients what to request`, 'RFC 6750 §3'),
    );
  }
  return { checks, bearer };
}
