import { glewlwydAvailability } from '@prmkit/interop';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { ANSI, io, JWT } from './support.js';

// `npm run demo -- --as glewlwyd`: the same flow against an authorization server prmkit
// did not write (Debian package glewlwyd). CI installs it and sets PRMKIT_REQUIRE_GLEWLWYD=1.
const installed = glewlwydAvailability().available;
const required = process.env['PRMKIT_REQUIRE_GLEWLWYD'] === '1';
if (!installed && !required)
  console.warn('skipping the Glewlwyd demo run: Glewlwyd is not installed');

const STEPS = [
  /authorization server\s+http:\/\/127\.0\.0\.1:\d+ \(Glewlwyd/,
  /POST\s+http:\/\/\S+\/mcp initialize\s+⇢ 401/,
  /oauth-authorization-server\/api\/oidc\s+⇢ 404/,
  /\/api\/oidc\/\.well-known\/openid-configuration\s+⇢ 200/,
  /Client registration/,
  /Authorization with PKCE/,
  /POST\s+http:\/\/\S+\/api\/auth\/\s+⇢ 200/,
  /iss\s+http:\/\/\S+\/api\/oidc \(RFC 9207, checked\)/,
  /token_type\s+bearer/,
  /aud\s+http:\/\/\S+\/mcp/,
  /tools\/call admin_stats\s+⇢ 403/,
  /Step-up: authorize again/,
  /scope\s+mcp:tools mcp:admin\n/,
  /tools\/call admin_stats\s+⇢ 200/,
  /✔ Done/,
  /authorizations\s+2 \(PKCE S256\)/,
];

describe('prmkit demo --as glewlwyd', () => {
  it.skipIf(!installed && !required)(
    'runs the whole flow against Glewlwyd, with step-up',
    async () => {
      const cli = io({ NO_COLOR: '1' });
      const code = await runCli(['--as', 'glewlwyd'], cli);
      const out = cli.stdout.text();
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
      expect(out).not.toMatch(ANSI);
      expect(out).not.toMatch(JWT);
    },
  );

  describe('when Glewlwyd cannot be started here', () => {
    const path = process.env['PATH'];
    afterEach(() => {
      process.env['PATH'] = path;
    });

    it('exits 1 and says how to install it', async () => {
      // No sqlite3 on PATH: exactly what a machine without the packages looks like to the demo.
      process.env['PATH'] = '/nonexistent';
      const cli = io({ NO_COLOR: '1' });
      const code = await runCli(['--as', 'glewlwyd'], cli);
      const out = cli.stdout.text();
      expect(code, out).toBe(1);
      expect(out).toContain('✘ Demo failed: could not start Glewlwyd: Glewlwyd is not installed');
      expect(out).toContain('install it with: sudo apt-get install -y glewlwyd sqlite3');
      expect(out).not.toContain('initialize');
    });
  });

  it('refuses --as with --issuer, and an unknown server, starting nothing', async () => {
    for (const argv of [
      ['--as', 'keycloak'],
      ['--as', 'glewlwyd', '--issuer', 'http://127.0.0.1:1'],
    ]) {
      const cli = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(cli.stderr.text()).toContain('Usage: prmkit demo');
      expect(cli.stdout.text()).toBe('');
    }
  });
});
