import type { Check, CheckStatus } from '../types.js';

/** Builds a check; `url` only when given. */
export function check(
  id: string,
  status: CheckStatus,
  reason: string,
  spec: string,
  url?: string,
): Check {
  return url === undefined ? { id, status, reason, spec } : { id, status, reason, spec, url };
}

export const pass = (id: string, reason: string, spec: string, url?: string): Check =>
  check(id, 'pass', reason, spec, url);
export const warn = (id: string, reason: string, spec: string, url?: string): Check =>
  check(id, 'warn', reason, spec, url);
export const fail = (id: string, reason: string, spec: string, url?: string): Check =>
  check(id, 'fail', reason, spec, url);
export const skip = (id: string, reason: string, spec: string, url?: string): Check =>
  check(id, 'skip', reason, spec, url);

/** A value quoted for a reason line: JSON-ish, short. */
export function quote(value: unknown): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
