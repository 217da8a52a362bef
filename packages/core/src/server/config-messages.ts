import * as z from 'zod';
import type { ConfigIssue } from '../model/errors.js';

// Configuration problems in prmkit's words: what is wrong, what to set, and for a
// misspelled option the one it probably meant. zod finds the problems; this file only
// words them (the messages prmkit's own refinements write are kept as they are).

/** What to set when a required option is missing, by dotted path. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  resource:
    "is required: set it to the exact URL clients use for this server, e.g. 'https://api.example.com/mcp' (RFC 9728 §2)",
  authorizationServers:
    "is required: set it to the issuer URL(s) of the authorization server that issues your tokens, e.g. ['https://auth.example.com'] (RFC 9728 §2)",
};

const article = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return article(typeof input);
}

/** Edit distance (insert, delete, substitute), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known option closest to `key`: same letters in another case, one a prefix of the
 * other (`requiredScope` → `requiredScopes`), or within a third of its length in edits.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of known) {
    const other = name.toLowerCase();
    const score =
      other === lower
        ? 0
        : other.startsWith(lower) || lower.startsWith(other)
          ? Math.abs(other.length - lower.length)
          : distance(lower, other);
    const limit = Math.max(2, Math.floor(Math.max(key.length, name.length) / 3));
    if (score <= limit && (best === undefined || score < best.score)) best = { name, score };
  }
  return best?.name;
}

/** The option names an object schema accepts at `path` (through optional, nullable, unions). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return keysAt(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodUnion)
    return [...new Set(schema.options.flatMap((o) => keysAt(o as z.ZodType, path)))];
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  if (path.length === 0) return Object.keys(shape);
  const [head, ...rest] = path;
  const child = typeof head === 'string' ? shape[head] : undefined;
  return child === undefined ? [] : keysAt(child, rest);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Turns zod's issues for a configuration into prmkit's: unknown options name the closest
 * known one, missing required options say what to set, wrong types say what was given.
 *
 * @example
 * ```ts
 * const parsed = schema.safeParse(config);
 * if (!parsed.success) throw new PrmkitConfigError(configIssues(parsed.error, schema, config));
 * ```
 * @see RFC 9728 §2 (the metadata the configuration describes)
 */
export function configIssues(error: z.ZodError, schema: z.ZodType, input: unknown): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const near = closestKey(key, known);
        const where = path === '' ? key : `${path}.${key}`;
        return {
          path: where,
          message: `unknown option${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`}`,
        };
      });
    }
    if (issue.code === 'invalid_type') {
      const value = valueAt(input, issue.path);
      if (value === undefined)
        return [
          { path, message: REQUIRED_HINTS[path] ?? `is required (${article(issue.expected)})` },
        ];
      return [{ path, message: `must be ${article(issue.expected)}, not ${received(value)}` }];
    }
    if (issue.code === 'invalid_value' && issue.values.length > 0)
      return [
        {
          path,
          message: `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    return [{ path, message: issue.message }];
  });
}
