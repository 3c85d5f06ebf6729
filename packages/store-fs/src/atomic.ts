import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMissing } from './paths.js';

/**
 * Prefix of every temporary file and folder this store creates. The leading
 * dot keeps them out of the integration listing, and `load` removes leftovers.
 */
export const TEMP_PREFIX = '.beaker-tmp-';

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

export function tempPath(directory: string): string {
  return path.join(directory, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
}

/** Flushes a folder's entries (new names, renames) to disk. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');

  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `content` to a new file at `target`, flushed to disk, with the mode
 * of `modeFrom` when that file exists. Fails when `target` exists.
 */
export async function writeNewFile(
  target: string,
  content: string,
  modeFrom?: string,
): Promise<void> {
  const mode = modeFrom ? await existingMode(modeFrom) : undefined;
  const handle = await open(target, 'wx');

  try {
    if (mode !== undefined) await handle.chmod(mode);

    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o7777;
  } catch (error) {
    if (isMissing(error)) return undefined;

    throw error;
  }
}

/** One file to replace atomically: its content is first written to `temp`. */
export interface StagedFile {
  target: string;
  temp: string;
}

/**
 * Writes each file to a temporary file in `stagingDirectory` (which must be
 * on the same file system as the targets), then renames them over their
 * targets in order and flushes the folders. When staging fails nothing is
 * replaced. A crash leaves each target either old or new.
 */
export async function replaceFiles(
  stagingDirectory: string,
  files: { target: string; content: string }[],
  inFlight: Set<string>,
): Promise<void> {
  const staged: StagedFile[] = [];

  try {
    for (const file of files) {
      const temp = tempPath(stagingDirectory);

      inFlight.add(temp);
      staged.push({ target: file.target, temp });
      await writeNewFile(temp, file.content, file.target);
    }

    for (const file of staged) {
      await rename(file.temp, file.target);
      inFlight.delete(file.temp);
    }

    const directories = new Set([
      stagingDirectory,
      ...staged.map((file) => path.dirname(file.target)),
    ]);

    for (const directory of directories) await syncDirectory(directory);
  } finally {
    for (const file of staged) {
      // A temporary file that cannot be removed now is removed by the next load.
      if (inFlight.delete(file.temp)) await rm(file.temp, { force: true }).catch(() => undefined);
    }
  }
}
