import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/args.js';
import { colorEnabled, createStyle } from '../src/style.js';
import { redact, viewAccessToken } from '../src/jwt-view.js';
import { ANSI } from './support.js';

describe('colour', () => {
  it('is on for a terminal and off for NO_COLOR, --no-color, TERM=dumb or a pipe', () => {
    expect(colorEnabled({ flag: true, env: {}, isTTY: true })).toBe(true);
    expect(colorEnabled({ flag: true, env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ flag: false, env: {}, isTTY: true })).toBe(false);
    expect(colorEnabled({ flag: true, env: { TERM: 'dumb' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ flag: true, env: {}, isTTY: false })).toBe(false);
    // An empty NO_COLOR does not count (no-color.org); FORCE_COLOR wins over a pipe.
    expect(colorEnabled({ flag: true, env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorEnabled({ flag: true, env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(colorEnabled({ flag: true, env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(
      colorEnabled({ flag: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true }),
    ).toBe(false);
  });

  it('styles only when enabled', () => {
    expect(createStyle(true).green('ok')).toMatch(ANSI);
    expect(createStyle(false).green('ok')).toBe('ok');
  });
});

describe('flags', () => {
  it('defaults to express with colour', () => {
    expect(parseDemoArgs([])).toEqual({
      framework: 'express',
      color: true,
      help: false,
      issuer: undefined,
      as: 'local',
      dpop: false,
      gateway: false,
    });
    expect(parseDemoArgs(['--dpop'])).toMatchObject({ dpop: true });
    expect(parseDemoArgs(['-f', 'nestjs', '--no-color'])).toMatchObject({
      framework: 'nestjs',
      color: false,
    });
    // What `pnpm --filter @prmkit/demo start -- --framework hono` passes on pnpm 10.
    expect(parseDemoArgs(['--', '--framework', 'hono'])).toMatchObject({ framework: 'hono' });
  });
});

describe('token display', () => {
  it('decodes claims for display and redacts secrets to their length', () => {
    const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'RS256', typ: 'at+jwt' })}.${part({ aud: 'http://x/mcp', scope: 'a b', sub: 's' })}.sig`;
    expect(viewAccessToken(token)).toMatchObject({
      audience: 'http://x/mcp',
      scopes: ['a', 'b'],
      typ: 'at+jwt',
      subject: 's',
    });
    expect(viewAccessToken('opaque-token')).toBeUndefined();
    expect(redact('abcdefghijklmnop')).toBe('abcdefgh…‹16 chars, redacted›');
    expect(redact('secret', 0)).toBe('‹6 chars, redacted›');
  });
});
