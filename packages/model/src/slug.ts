const NON_SLUG_CHARACTER = /[^\p{L}\p{N}_]/gu;

/**
 * Derives an integration slug from its name, as Beaker does so that existing
 * folders keep their slugs: lower-case, trim, then replace each character
 * that is not a Unicode letter, number or `_` by one `_` (runs are kept).
 */
export function slugify(name: string): string {
  return name.toLowerCase().trim().replace(NON_SLUG_CHARACTER, '_');
}
