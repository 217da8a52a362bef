import { describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';

// Hostile or mistaken options: a configuration error naming the profile, never a crash.
describe('profile options that are not objects', () => {
  it.each(Object.keys(profiles))(
    'profiles.%s refuses undefined, null, a string and an array',
    (name) => {
      const build = profiles[name as keyof typeof profiles] as (o: unknown) => unknown;
      for (const bad of [undefined, null, 'x', []]) {
        try {
          build(bad);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(PrmkitConfigError);
          expect((e as PrmkitConfigError).issues[0]?.path).toBe(`profiles.${name}`);
        }
      }
    },
  );

  it.each(Object.keys(profiles))(
    'profiles.%s refuses an empty object with issues, not a TypeError',
    (name) => {
      const build = profiles[name as keyof typeof profiles] as (o: unknown) => unknown;
      expect(() => build({})).toThrow(PrmkitConfigError);
    },
  );
});
