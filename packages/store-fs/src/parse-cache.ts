import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { tempPath } from './atomic.js';

/*
 * A cache of parsed `api.yaml` documents, kept in one file between restarts.
 * Parsing is most of the cost of a load (about 0.1 ms per small document with
 * the `yaml` package), so a restart reuses the values of unchanged documents.
 *
 * An entry is used only when the file's inode, size, modification time and
 * change time all match. The change time cannot be set back by tools such as
 * `cp -p` or `touch -d`, and every replacement by this store is a rename (a
 * new inode). Files changed within RACY_WINDOW_NS of the load are not cached,
 * because a later change within the file system's timestamp resolution could
 * keep every field the same.
 */

/** Version of the cached values. Change it whenever parsing or its YAML rules change. */
const CACHE_FORMAT = 'store-fs-parse-cache/1';

/** Age below which a file is not cached, to cover file systems with coarse (up to 2 s) timestamps. */
const RACY_WINDOW_NS = 2_000_000_000n;

export interface ParsedDocument {
  value: unknown;
  duplicateKeys: string[];
}

interface CacheFile {
  format: string;
  entries: [file: string, stamp: string, document: ParsedDocument][];
}

/** Identity of one version of a file. */
export function fileStamp(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

export class ParseCache {
  private readonly previous = new Map<string, { stamp: string; document: ParsedDocument }>();
  private readonly current: CacheFile['entries'] = [];
  private readonly loadStartNs = BigInt(Date.now()) * 1_000_000n;
  private changed = false;

  /** Opens the cache file. A missing, unreadable or outdated file gives an empty cache. */
  constructor(
    private readonly file: string,
    private readonly racyWindowNs = RACY_WINDOW_NS,
  ) {
    try {
      const cached = deserialize(readFileSync(file)) as CacheFile;

      if (cached.format !== CACHE_FORMAT) return;

      for (const [entryFile, stamp, document] of cached.entries)
        this.previous.set(entryFile, { stamp, document });
    } catch {
      // A cache that cannot be read only costs a full parse.
    }
  }

  /**
   * Returns the parsed document of `file` when the cache contains its current
   * version, else parses it with `parse` (which must read the file after
   * this call took its stamp) and records the result.
   */
  read(file: string, parse: () => ParsedDocument | undefined): ParsedDocument | undefined {
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });

    if (!stats) return parse();

    const stamp = fileStamp(stats);
    const hit = this.previous.get(file);

    if (hit?.stamp === stamp) {
      this.current.push([file, stamp, hit.document]);

      return hit.document;
    }

    const document = parse();

    this.changed = true;

    if (document && this.loadStartNs - stats.ctimeNs > this.racyWindowNs)
      this.current.push([file, stamp, document]);

    return document;
  }

  /**
   * Writes the entries read during this load, replacing the file atomically.
   * Call it before handing the values out, so later changes to them are not
   * cached. Failures are returned, not thrown: the cache is optional.
   */
  async save(): Promise<Error | undefined> {
    if (!this.changed && this.current.length === this.previous.size) return undefined;

    const content = serialize({ format: CACHE_FORMAT, entries: this.current } satisfies CacheFile);
    const temp = tempPath(path.dirname(this.file));

    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(temp, content);
      await rename(temp, this.file);

      return undefined;
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);

      return error as Error;
    }
  }
}
