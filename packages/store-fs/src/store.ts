import { constants } from 'node:fs';
import { access, lstat, mkdir, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import {
  silentLogger,
  type IntegrationStore,
  type LoadProblem,
  type LoadResult,
  type Logger,
  type StoreHealth,
  type StoredIntegration,
} from '@beaker-integrations/core';
import {
  InvalidInputError,
  StorageError,
  isDomainError,
  type FileResource,
} from '@beaker-integrations/model';
import { isTempName, replaceFiles, syncDirectory, tempPath, writeNewFile } from './atomic.js';
import { readFolder, type FolderRef, type FolderResult } from './folder-reader.js';
import { integrationToDocument } from './integration-document.js';
import { ParseCache } from './parse-cache.js';
import { compareNames } from './values.js';
import { isMissing, relativePathProblem, resolveExistingInside, symlinkEscape } from './paths.js';
import { emitDocument } from './yaml-emit.js';
import { InvalidDocumentError, patchDocument } from './yaml-patch.js';

export interface FsStoreOptions {
  /** Data roots, most specific first. Relative paths resolve against the working folder. */
  roots: string[];
  logger?: Logger;
  /**
   * File that keeps parsed `api.yaml` documents between loads, so a restart
   * parses only changed ones. Unset, every load parses every document. Put it
   * where the service may write, outside `specifications/`.
   */
  cacheFile?: string;
}

/** Maximum time, in milliseconds, that loading blocks the event loop before it yields to other work. */
const LOAD_SLICE_MS = 20;

/** Entries kept by `resolveDataFile` before its cache is emptied. */
const DATA_FILE_CACHE_SIZE = 10_000;

/** Maximum length of a new integration's folder name, in UTF-8 bytes (Linux file systems allow 255). */
const MAX_FOLDER_NAME_BYTES = 200;

/**
 * Beaker's integration folders: `<root>/specifications/<folder>/api.yaml`
 * with `attachments/`, plus `<root>/data/` and `<root>/prompts/`. Roots are
 * searched most specific first, and a name found in an earlier root hides
 * the same name in later ones. New integrations go to the first writable
 * root, and removed ones move to `<root>/trash/`.
 */
export class FsStore implements IntegrationStore {
  readonly key: string;

  private readonly roots: string[];
  private readonly logger: Logger;

  /** Folder of each integration loaded or created, by uuid. */
  private folders = new Map<string, FolderRef>();

  /** Temporary files and folders of writes in progress, which `load` must not remove. */
  private readonly inFlight = new Set<string>();

  /** Results of `resolveDataFile`, kept until the next load, so files added to `data/` meanwhile are not seen. */
  private readonly dataFiles = new Map<string, string | undefined>();

  private readonly cacheFile: string | undefined;

  /** Tail of the queue that serialises folder creation and removal, so two writes never pick one name. */
  private folderQueue: Promise<unknown> = Promise.resolve();

  constructor(options: FsStoreOptions) {
    if (options.roots.length === 0) throw new TypeError('FsStore needs at least one data root');

    this.roots = options.roots.map((root) => path.resolve(root));
    this.logger = options.logger ?? silentLogger;
    this.key = `fs:${this.roots.join('|')}`;
    this.cacheFile = options.cacheFile === undefined ? undefined : path.resolve(options.cacheFile);
  }

  async load(): Promise<LoadResult> {
    const started = performance.now();
    const problems: LoadProblem[] = [];
    const folders = await this.listFolders(problems);
    const cache = this.cacheFile === undefined ? undefined : new ParseCache(this.cacheFile);
    const results = await this.readFolders(folders, cache);
    const cacheError = await cache?.save();

    if (cacheError)
      this.logger.warn(
        { file: this.cacheFile, error: cacheError.message },
        'parse cache not written',
      );

    const integrations: StoredIntegration[] = [];
    const byUuid = new Map<string, FolderRef>();

    for (const result of results) {
      problems.push(...result.problems);

      if (!result.integration) continue;

      integrations.push(result.integration);

      if (!byUuid.has(result.integration.uuid)) byUuid.set(result.integration.uuid, result.folder);
    }

    this.folders = byUuid;
    this.dataFiles.clear();

    for (const problem of problems)
      this.logger.warn({ ...problem }, 'problem in integration folder');

    this.logger.info(
      {
        roots: this.roots,
        integrations: integrations.length,
        problems: problems.length,
        durationMs: Math.round(performance.now() - started),
      },
      'integration folders loaded',
    );

    return { integrations, problems };
  }

  /** Reads folders in slices of LOAD_SLICE_MS, yielding to the event loop in between. */
  private async readFolders(folders: FolderRef[], cache?: ParseCache): Promise<FolderResult[]> {
    const results: FolderResult[] = [];
    let sliceStart = performance.now();

    for (const folder of folders) {
      results.push(this.readFolderSafely(folder, cache));

      if (performance.now() - sliceStart >= LOAD_SLICE_MS) {
        await setImmediate();
        sliceStart = performance.now();
      }
    }

    return results;
  }

  private readFolderSafely(folder: FolderRef, cache?: ParseCache): FolderResult {
    try {
      return readFolder(folder, this.inFlight, cache);
    } catch (error) {
      const location = path.join(folder.path, 'api.yaml');

      return {
        folder,
        problems: [{ location, message: `folder cannot be read: ${(error as Error).message}` }],
      };
    }
  }

  /** Lists integration folders of every root, sorted by name, and removes temporary folders left by a crash. */
  private async listFolders(problems: LoadProblem[]): Promise<FolderRef[]> {
    const found = new Map<string, FolderRef>();

    for (const root of this.roots) {
      const specifications = path.join(root, 'specifications');

      for (const name of await this.listSubfolders(specifications, problems)) {
        if (!found.has(name))
          found.set(name, { root, name, path: path.join(specifications, name) });
      }
    }

    return [...found.values()].sort((a, b) => compareNames(a.name, b.name));
  }

  private async listSubfolders(directory: string, problems: LoadProblem[]): Promise<string[]> {
    let entries;

    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (!isMissing(error))
        problems.push({
          location: directory,
          message: `folder cannot be read: ${(error as Error).message}`,
        });

      return [];
    }

    const names: string[] = [];

    for (const entry of entries) {
      const entryPath = path.join(directory, entry.name);

      if (isTempName(entry.name) && !this.inFlight.has(entryPath)) {
        await rm(entryPath, { recursive: true, force: true }).catch(() => undefined);
      } else if (
        !entry.name.startsWith('.') &&
        (await isFolder(entryPath, entry.isDirectory(), entry.isSymbolicLink()))
      ) {
        names.push(entry.name);
      }
    }

    return names;
  }

  async save(previous: StoredIntegration | null, next: StoredIntegration): Promise<void> {
    if (previous === null) {
      await this.serialised(() => this.create(next));

      return;
    }

    const folder = this.folderOf(next.uuid);
    const apiPath = path.join(folder.path, 'api.yaml');

    await withStorageErrors(folder.path, async () => {
      const writes = await this.attachmentWrites(folder, previous, next);
      const text = await readFile(apiPath, 'utf8');
      const updated = patchDocument(
        text,
        integrationToDocument(previous),
        integrationToDocument(next),
      );
      const files = updated === text ? writes : [...writes, { target: apiPath, content: updated }];

      const created = await makeFolders(writes.map((file) => path.dirname(file.target)));

      try {
        await replaceFiles(folder.path, files, this.inFlight);
      } catch (error) {
        await removeEmptyFolders(created);

        throw error;
      }
    });
  }

  /** Attachment files to write for `next`: new or moved file resources and changed contents, after path checks. */
  private async attachmentWrites(
    folder: FolderRef,
    previous: StoredIntegration,
    next: StoredIntegration,
  ) {
    const writes: { target: string; content: string }[] = [];

    for (const [resourceId, resource] of Object.entries(next.resources)) {
      if (resource.resource_type !== 'file') continue;

      const before = previous.resources[resourceId];
      const unchanged =
        before?.resource_type === 'file' &&
        before.filepath === resource.filepath &&
        before.content === resource.content;

      if (unchanged) continue;

      await this.checkAttachmentPath(folder, resource.filepath);
      writes.push({
        target: attachmentPath(folder.path, resource.filepath),
        content: resource.content,
      });
    }

    return writes;
  }

  /** Creates the folder of a new integration in a temporary folder, then renames it into place. */
  private async create(next: StoredIntegration): Promise<void> {
    const files = fileResources(next);

    for (const file of files) checkFilePathSyntax(file.filepath);

    const root = await this.writableRoot();
    const specifications = path.join(root, 'specifications');
    const staging = tempPath(specifications);

    this.inFlight.add(staging);

    try {
      const folder = await withStorageErrors(specifications, async () => {
        const name = await this.freeFolderName(folderNameFor(next.slug));
        const target = path.join(specifications, name);

        await mkdir(staging, { recursive: true });
        await writeFolderContents(staging, next, files);
        await rename(staging, target);
        await syncDirectory(specifications);

        return { root, name, path: target };
      });

      this.folders.set(next.uuid, folder);
    } finally {
      this.inFlight.delete(staging);
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async remove(integration: StoredIntegration): Promise<void> {
    const folder = this.folderOf(integration.uuid);

    await this.serialised(() =>
      withStorageErrors(folder.path, async () => {
        const trash = path.join(folder.root, 'trash');

        await lstat(folder.path);
        await mkdir(trash, { recursive: true });

        const target = await freeTrashPath(trash, folder.name);

        await rename(folder.path, target);
        await syncDirectory(path.dirname(folder.path));
        await syncDirectory(trash);
      }),
    );

    this.folders.delete(integration.uuid);
  }

  async health(): Promise<StoreHealth> {
    const [root] = this.roots as [string];
    const directory = await nearestExisting(path.join(root, 'specifications'));

    try {
      await access(directory, constants.W_OK);

      return { writable: true };
    } catch (error) {
      return {
        writable: false,
        detail: `folder ${directory} is not writable (${errorCode(error)})`,
      };
    }
  }

  async checkFilePath(integration: StoredIntegration, filepath: string): Promise<void> {
    checkFilePathSyntax(filepath);

    const folder = this.folders.get(integration.uuid);

    if (folder) await this.checkAttachmentPath(folder, filepath);
  }

  private async checkAttachmentPath(folder: FolderRef, filepath: string): Promise<void> {
    checkFilePathSyntax(filepath);

    const segments = filepath.split('/').filter((segment) => segment !== '' && segment !== '.');
    const attachments = path.join(folder.path, 'attachments');
    const problem =
      (await symlinkEscape(folder.path, ['attachments'], 'folder')) ??
      (await symlinkEscape(attachments, segments, 'file'));

    if (problem !== undefined) {
      throw new InvalidInputError('filepath', `filepath '${filepath}' is not allowed: ${problem}`);
    }
  }

  async promptInstructions(): Promise<string | undefined> {
    const files = new Map<string, string>();

    for (const root of this.roots) {
      const directory = path.join(root, 'prompts');

      for (const name of await listFiles(directory)) {
        if (!files.has(name)) files.set(name, path.join(directory, name));
      }
    }

    const names = [...files.keys()].sort(compareNames);
    const texts = await Promise.all(
      names.map((name) => readFile(files.get(name) as string, 'utf8')),
    );
    const joined = texts
      .map((text) => text.trimEnd())
      .filter((text) => text !== '')
      .join('\n\n');

    return joined === '' ? undefined : joined;
  }

  /** Folder name of a loaded or created integration, for reports; undefined when unknown. */
  folderName(uuid: string): string | undefined {
    return this.folders.get(uuid)?.name;
  }

  resolveDataFile(relative: string): string | undefined {
    if (this.dataFiles.has(relative)) return this.dataFiles.get(relative);
    if (this.dataFiles.size >= DATA_FILE_CACHE_SIZE) this.dataFiles.clear();

    let resolved: string | undefined;

    for (const root of this.roots) {
      resolved = resolveExistingInside(path.join(root, 'data'), relative);

      if (resolved !== undefined) break;
    }

    this.dataFiles.set(relative, resolved);

    return resolved;
  }

  private folderOf(uuid: string): FolderRef {
    const folder = this.folders.get(uuid);

    if (!folder)
      throw new StorageError(
        `no integration folder is known for integration '${uuid}'; load the store first`,
      );

    return folder;
  }

  /** Finds the most specific root whose `specifications/` folder can be written (or created). */
  private async writableRoot(): Promise<string> {
    for (const root of this.roots) {
      try {
        await access(await nearestExisting(path.join(root, 'specifications')), constants.W_OK);

        return root;
      } catch {
        continue;
      }
    }

    throw new StorageError(
      `folder ${path.join(this.roots[0] ?? '', 'specifications')} is not writable, nor is any other data root`,
    );
  }

  /**
   * Returns `base`, or `base_2`, `base_3`… for the first name used by no
   * loaded integration and no folder in any root, so a new folder never
   * reuses or hides an existing one.
   */
  private async freeFolderName(base: string): Promise<string> {
    const used = new Set([...this.folders.values()].map((folder) => folder.name));

    for (let suffix = 1; ; suffix++) {
      const name = suffix === 1 ? base : `${base}_${suffix}`;

      if (!used.has(name) && !(await this.existsInAnyRoot(name))) return name;
    }
  }

  private async existsInAnyRoot(name: string): Promise<boolean> {
    for (const root of this.roots) {
      if (await pathExists(path.join(root, 'specifications', name))) return true;
    }

    return false;
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.folderQueue.then(task, task);

    this.folderQueue = run.catch(() => undefined);

    return run;
  }
}

async function isFolder(
  entryPath: string,
  isDirectory: boolean,
  isSymbolicLink: boolean,
): Promise<boolean> {
  if (isDirectory) return true;
  if (!isSymbolicLink) return false;

  return (await stat(entryPath).catch(() => undefined))?.isDirectory() ?? false;
}

async function listFiles(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    const names: string[] = [];

    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;

      const isFile =
        entry.isFile() ||
        (await stat(path.join(directory, entry.name)).catch(() => undefined))?.isFile();

      if (isFile) names.push(entry.name);
    }

    return names;
  } catch (error) {
    if (isMissing(error)) return [];

    throw error;
  }
}

async function pathExists(target: string): Promise<boolean> {
  try {
    await lstat(target);

    return true;
  } catch (error) {
    if (isMissing(error)) return false;

    throw error;
  }
}

/** `target` itself when it exists, else its closest existing parent folder. */
async function nearestExisting(target: string): Promise<string> {
  let current = target;

  while (!(await pathExists(current)) && path.dirname(current) !== current)
    current = path.dirname(current);

  return current;
}

/** Creates missing folders and returns every folder it created. */
async function makeFolders(folders: string[]): Promise<string[]> {
  const created: string[] = [];

  for (const folder of folders) {
    const first = await mkdir(folder, { recursive: true });

    if (first === undefined) continue;

    for (let current = folder; current !== path.dirname(first); current = path.dirname(current))
      created.push(current);
  }

  return created;
}

/** Removes folders that a failed write created, deepest first, leaving any that is not empty. */
async function removeEmptyFolders(folders: string[]): Promise<void> {
  const deepestFirst = [...folders].sort((a, b) => b.length - a.length);

  for (const folder of deepestFirst) await rmdir(folder).catch(() => undefined);
}

function attachmentPath(folder: string, filepath: string): string {
  return path.join(folder, 'attachments', ...filepath.split('/'));
}

function fileResources(integration: StoredIntegration): FileResource[] {
  return Object.values(integration.resources).filter(
    (resource): resource is FileResource => resource.resource_type === 'file',
  );
}

function checkFilePathSyntax(filepath: string): void {
  const problem = relativePathProblem(filepath);

  if (problem !== undefined) {
    throw new InvalidInputError(
      'filepath',
      `filepath '${filepath}' ${problem}; use a path inside the attachments folder`,
    );
  }
}

/** Writes `api.yaml` and the attachments of a new integration into `folder`, flushed to disk. */
async function writeFolderContents(
  folder: string,
  integration: StoredIntegration,
  files: FileResource[],
) {
  const directories = new Set([folder]);

  for (const file of files) {
    const target = attachmentPath(folder, file.filepath);

    await mkdir(path.dirname(target), { recursive: true });
    await writeNewFile(target, file.content);
    directories.add(path.dirname(target));
  }

  await writeNewFile(
    path.join(folder, 'api.yaml'),
    emitDocument(integrationToDocument(integration)),
  );

  for (const directory of directories) await syncDirectory(directory);
}

/** Derives a folder name from a slug: letters, numbers, `_` and `-` only, short enough for any file system. */
function folderNameFor(slug: string): string {
  let name = slug.replace(/[^\p{L}\p{N}_-]/gu, '_');

  while (Buffer.byteLength(name) > MAX_FOLDER_NAME_BYTES) name = [...name].slice(0, -1).join('');

  return name === '' ? 'integration' : name;
}

async function freeTrashPath(trash: string, name: string): Promise<string> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const candidates = [name, `${name}-${stamp}`];

  for (let suffix = 2; ; suffix++) {
    const candidate = candidates.shift() ?? `${name}-${stamp}-${suffix}`;

    if (!(await pathExists(path.join(trash, candidate)))) return path.join(trash, candidate);
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}

/** Runs a file-system write, turning failures other than domain errors into StorageError naming `folder`. */
async function withStorageErrors<T>(folder: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDomainError(error)) throw error;

    throw new StorageError(storageMessage(folder, error, await failureCode(folder, error)), {
      cause: error,
    });
  }
}

/**
 * Error code of a failed write. Node's recursive `mkdir` (seen on Node 20)
 * reports ENOENT when the file system is read-only, so an ENOENT while
 * `folder` still exists is checked against the folder's own writability.
 */
async function failureCode(folder: string, error: unknown): Promise<string> {
  const code = errorCode(error);

  if (code !== 'ENOENT') return code;

  try {
    await lstat(folder);
    await access(folder, constants.W_OK);

    return code;
  } catch (probe) {
    return isMissing(probe) ? code : errorCode(probe);
  }
}

function storageMessage(folder: string, error: unknown, code: string): string {
  if (error instanceof InvalidDocumentError) return `${folder}/api.yaml ${error.message}`;

  if (code === 'ENOENT') return `integration folder ${folder} or a file in it no longer exists`;
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return `folder ${folder} is not writable (${code})`;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return `no space left to write to folder ${folder} (${code}); free space on its file system, then retry`;

  return `writing to folder ${folder} failed: ${(error as Error).message}`;
}
