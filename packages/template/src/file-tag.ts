// The `{% file PATH %}` tag, which renders the absolute path of a data file.

/** Result of checking a PATH: the path relative to the data folder, or why it is rejected. */
export type DataPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Normalises a PATH relative to the data folder: empty and `.` segments are
 * dropped and `..` removes the segment before it, so `census-nsch/` gives
 * `census-nsch` and an empty PATH gives `` (the folder itself). Rejects an
 * absolute PATH, one that leaves the folder, and one with a backslash or
 * NUL character, which could name another place on some systems.
 */
export function normaliseDataPath(path: string): DataPath {
  if (path.startsWith('/')) return { ok: false, reason: 'is absolute' };
  if (path.includes('\\')) return { ok: false, reason: 'contains a backslash' };
  if (path.includes('\0')) return { ok: false, reason: 'contains a NUL character' };

  const segments: string[] = [];

  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;

    if (segment !== '..') {
      segments.push(segment);
    } else if (segments.pop() === undefined) {
      return { ok: false, reason: 'leaves the data folder' };
    }
  }

  return { ok: true, path: segments.join('/') };
}
