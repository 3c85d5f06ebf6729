import { lstat, realpath, stat } from 'node:fs/promises';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Returns why a relative path is unsafe, or undefined when it is a plain relative
 * path with no `..` segment. Paths use `/` as the separator on every system,
 * as Beaker's folders do.
 */
export function relativePathProblem(relative: string): string | undefined {
  if (relative === '') return 'is empty';
  if (relative.includes('\0')) return 'contains a NUL character';
  if (relative.startsWith('/') || path.isAbsolute(relative)) return 'is an absolute path';
  if (relative.split('/').includes('..')) return "contains a '..' segment";

  return undefined;
}

/** Checks whether `target` is `base` or lies below it. Both must be absolute and normalised. */
export function isInside(base: string, target: string): boolean {
  const relative = path.relative(base, target);

  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

export function isMissing(error: unknown): boolean {
  const code = errorCode(error);

  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Real path of `target`, or undefined when it (or a symlink on the way) does not exist. */
export async function realpathIfExists(target: string): Promise<string | undefined> {
  try {
    return await realpath(target);
  } catch (error) {
    if (isMissing(error)) return undefined;

    throw error;
  }
}

/**
 * Checks the path from `base` down through `segments` for symbolic links
 * that lead outside `base`, stopping at the first component that does not
 * exist yet (the writer creates the rest as real folders). Every component
 * but the last must be a folder, and the last one must be a folder when
 * `last` is `'folder'` and must not be one when it is `'file'`. Returns why
 * the path is unsafe, or undefined.
 */
export async function symlinkEscape(
  base: string,
  segments: string[],
  last: 'file' | 'folder',
): Promise<string | undefined> {
  const realBase = await realpathIfExists(base);

  if (realBase === undefined) return undefined;

  let current = base;

  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);

    const displayPath = `'${segments.slice(0, index + 1).join('/')}'`;
    const stats = await lstatIfExists(current);

    if (!stats) return undefined;

    const target = stats.isSymbolicLink() ? await realpathIfExists(current) : current;

    if (target === undefined) return `${displayPath} is a symbolic link to a missing target`;
    if (!isInside(realBase, await realpath(target)))
      return `${displayPath} is a symbolic link that leads outside its folder`;

    const isFolder = (await stat(target)).isDirectory();
    const isLast = index === segments.length - 1;

    if (isFolder && isLast && last === 'file') return `${displayPath} is a folder`;
    if (!isFolder && (!isLast || last === 'folder')) return `${displayPath} is not a folder`;
  }

  return undefined;
}

async function lstatIfExists(target: string) {
  try {
    return await lstat(target);
  } catch (error) {
    if (isMissing(error)) return undefined;

    throw error;
  }
}

/**
 * Resolves `relative` inside `base` for reading, synchronously: returns the
 * joined path when it exists and its real path stays inside the real path of
 * `base`, else undefined.
 */
export function resolveExistingInside(base: string, relative: string): string | undefined {
  if (relative !== '' && relativePathProblem(relative) !== undefined) return undefined;

  const candidate = relative === '' ? base : path.join(base, relative);

  try {
    if (!statSync(candidate, { throwIfNoEntry: false })) return undefined;

    return isInside(realpathSync(base), realpathSync(candidate)) ? candidate : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;

    throw error;
  }
}
