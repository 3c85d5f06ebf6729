import { posix } from 'node:path';

import { InvalidInputError } from '@beaker-integrations/model';

/** Beaker's default attachment path for a file resource: the name, lower-cased, spaces as `_`. */
export function defaultFilepath(name: string): string {
  return name.toLowerCase().replace(/ /g, '_');
}

/**
 * Normalises a file resource's `filepath` and rejects any that could leave
 * the attachments folder: absolute paths, `..` segments, backslashes (a
 * separator on Windows clients), NUL and other control characters. Stores
 * also check symbolic links, which only they can see.
 */
export function normalizeFilepath(filepath: string, field = 'filepath'): string {
  const reject = (reason: string): never => {
    throw new InvalidInputError(
      field,
      `${field} '${filepath}' ${reason}; use a relative path inside the attachments folder`,
    );
  };

  if (filepath.trim() === '') reject('is empty');
  if (posix.isAbsolute(filepath) || /^[A-Za-z]:/.test(filepath)) reject('is absolute');
  if (filepath.includes('\\')) reject('contains a backslash');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(filepath)) reject('contains a control character');
  if (filepath.split('/').includes('..')) reject("contains a '..' segment");

  const normalized = posix.normalize(filepath);

  if (normalized === '.' || normalized.endsWith('/')) reject('does not name a file');

  return normalized;
}
