import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { FRAMEWORKS } from '../src/frameworks.js';
import { ANSI, io, JWT, serverAvailable } from './support.js';

// The key steps, in the order they must appear.
const STEPS = [
  /POST\s+http:\/\/\S+\/mcp initialize\s+⇢ 401/,
  /resource_metadata="http:\/\/\S+\/\.well-known\/oauth-protected-resource\/mcp"/,
  /Protected resource metadata/,
  /Authorization server metadata/,
  /Client registration/,
  /client_id\s+\S+/,
  /Authorization with PKCE/,
  /resource\s+http:\/\/\S+\/mcp/,
  /code_challenge_method\s+S256/,
  /Token/,
  /aud\s+http:\/\/\S+\/mcp/,
  /scope\s+mcp:tools\n/,
  /Retry with the access token/,
  /initialize\s+⇢ 200/,
  /tools\/list\s+⇢ 200/,
  /echo → "hello from prmkit"/,
  /subject\s+alice/,
  /tools\/call admin_stats\s+⇢ 403/,
  /error="insufficient_scope"/,
  /server's reason\s+insufficient_scope: needs "mcp:tools mcp:admin", the token has "mcp:tools"/,
  /Step-up: authorize again/,
  /scope\s+mcp:tools mcp:admin offline_access/,
  /scope\s+mcp:tools mcp:admin\n/,
  /tools\/call admin_stats\s+⇢ 200/,
  /✔ Done/,
];

describe.each(FRAMEWORKS)('prmkit demo --framework %s', (framework) => {
  it.skipIf(!serverAvailable(framework))(
    'runs the whole flow and exits 0, narrating every step in order, without colour or tokens',
    async () => {
      const cli = io({ NO_COLOR: '1' });
      const code = await runCli(['--framework', framework], cli);
      const out = cli.stdout.text();
      expect(cli.stderr.text(), out).toBe('');
      expect(code, out).toBe(0);
      let from = 0;
      for (const step of STEPS) {
        const match = step.exec(out.slice(from));
        expect(
          match,
          `missing step ${String(step)} after offset ${from} in:\n${out}`,
        ).not.toBeNull();
        from += (match?.index ?? 0) + (match?.[0].length ?? 0);
      }
      expect(out).toContain(`MCP server on ${framework}`);
      expect(out).not.toMatch(ANSI);
      // Tokens are described by their claims only.
      expect(out).not.toMatch(JWT);
    },
  );
});

describe('prmkit demo --dpop', () => {
  it.skipIf(!serverAvailable('express'))(
    'shows the proofs and the bound token, and DPoP on every MCP request',
    async () => {
      const cli = io({ NO_COLOR: '1' });
      const code = await runCli(['--dpop'], cli);
      const out = cli.stdout.text();
      expect(code, out).toBe(0);
      expect(out).toMatch(/WWW-Authenticate\s+DPoP algs="/);
      expect(out).toMatch(/DPoP proof\s+dpop\+jwt \/ ES256/);
      expect(out).toMatch(/token_type\s+DPoP/);
      expect(out).toMatch(/cnf\.jkt\s+[A-Za-z0-9_-]{43}/);
      expect(out).toMatch(/Authorization\s+DPoP /);
      expect(out).not.toMatch(/Authorization\s+Bearer /);
      expect(out).toMatch(/✔ Done/);
      expect(out).not.toMatch(JWT);
    },
  );
});
