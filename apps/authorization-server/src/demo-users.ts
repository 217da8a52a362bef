import { timingSafeEqual } from 'node:crypto';

/** A user who can sign in on the login page. Local demo only: passwords are plain text. */
export interface DemoUser {
  /** Login name; also the token `sub`. */
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
}

/**
 * The built-in demo users. The password is the user name.
 *
 * | username | password |
 * | -------- | -------- |
 * | alice    | alice    |
 * | bob      | bob      |
 *
 * @example
 * ```ts
 * await startAuthorizationServer({ users: [...DEMO_USERS, { username: 'carol', password: 'carol', name: 'Carol', email: 'carol@example.test' }] });
 * ```
 */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  { username: 'alice', password: 'alice', name: 'Alice Example', email: 'alice@example.test' },
  { username: 'bob', password: 'bob', name: 'Bob Example', email: 'bob@example.test' },
]);

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Length leaks are harmless here; the comparison itself stays constant-time.
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Returns the user whose name and password match, or undefined. */
export function checkCredentials(
  users: readonly DemoUser[],
  username: string,
  password: string,
): DemoUser | undefined {
  const user = users.find((candidate) => candidate.username === username);
  if (user === undefined) return undefined;
  return sameText(user.password, password) ? user : undefined;
}
