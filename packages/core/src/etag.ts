import { createHash } from 'node:crypto';

/**
 * Returns the strong entity tag of a JSON text or of its UTF-8 bytes, the
 * same tag for both. It is a truncated SHA-1: a cache key here, not a
 * security boundary, so a collision only costs a needless 412 or 304.
 */
export function entityTag(json: string | Buffer): string {
  const digest = createHash('sha1').update(json).digest('base64url').slice(0, 22);

  return `"${digest}"`;
}

/**
 * Checks whether an `If-Match` value matches `current`: `*` matches anything, and
 * a list matches when any of its tags does. Weak tags (`W/"…"`) never match,
 * as RFC 9110 requires strong comparison for `If-Match`.
 */
export function ifMatchSatisfied(ifMatch: string, current: string): boolean {
  const candidates = ifMatch.split(',').map((tag) => tag.trim());

  return candidates.some((tag) => tag === '*' || tag === current);
}
