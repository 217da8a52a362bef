import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { ANSI, io, JWT } from './support.js';

describe('prmkit demo --gateway', () => {
  it('prints each hop: inbound aud (gateway route), exchanged aud (backend), act (gateway)', async () => {
    const cli = io({ NO_COLOR: '1' });
    const code = await runCli(['--gateway'], cli);
    const out = cli.stdout.text();
    expect(cli.stderr.text(), out).toBe('');
    expect(code, out).toBe(0);
    for (const route of ['files', 'search']) {
      expect(out).toMatch(new RegExp(`inbound aud http://127\\.0\\.0\\.1:\\d+/${route}\\n`));
      expect(out).toMatch(
        new RegExp(
          `gateway → ${route}\\s+exchanged aud http://127\\.0\\.0\\.1:\\d+/mcp  act \\{"sub":"prmkit-gateway"\\}`,
        ),
      );
    }
    expect(out).toMatch(/files sees\s+subject alice, client prmkit-gateway/);
    expect(out).toMatch(/search sees\s+subject alice, client prmkit-gateway/);
    expect(out).toContain('✔ Done');
    expect(out).not.toMatch(ANSI);
    expect(out).not.toMatch(JWT);
  });
});
