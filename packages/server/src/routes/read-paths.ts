import { MAX_ID_LENGTH } from '@beaker-integrations/model';

const ID = `[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}`;
const TYPE = `[A-Za-z0-9_]{1,${MAX_ID_LENGTH}}`;

/** `/beaker/integrations/{sid}`, `…/{iid}` or `…/{iid}/{type}/{rid}`, with an optional trailing slash. */
const READ_PATH = new RegExp(
  `^/beaker/integrations/(${ID})(?:/(${ID})(?:/(${TYPE})/(${ID}))?)?/?$`,
);

/** Length of the longest read path: the prefix, four ids and their slashes. */
const MAX_READ_PATH_LENGTH = '/beaker/integrations/'.length + 4 * (MAX_ID_LENGTH + 1);

/** How many distinct URLs the parser remembers; past that the oldest is forgotten. */
export const MAX_REMEMBERED_PATHS = 1024;

/** The ids of a read path: the listing, one integration, or one resource. */
export interface ReadPath {
  sessionId: string;
  integrationId: string | undefined;
  type: string | undefined;
  resourceId: string | undefined;
}

/**
 * Parses request URLs into read paths and remembers the result per URL. A URL
 * seen before skips the regular expression, and its ids are the same strings
 * as last time, whose hashes V8 has already computed, so the map lookups that
 * follow do not hash fresh copies. With the header scan in `cached-reads.ts`,
 * this cut about 0.9 µs of CPU from a resource GET at 10,000 integrations
 * (one measurement, against a bare server's 10.9 µs).
 */
export class ReadPaths {
  private readonly parsed = new Map<string, ReadPath | null>();

  constructor(private readonly limit = MAX_REMEMBERED_PATHS) {}

  /** Returns the read path of `url`, or null when it is not one (a query, percent-encoding, another path). */
  parse(url: string): ReadPath | null {
    const known = this.parsed.get(url);

    if (known !== undefined) return known;
    if (url.length > MAX_READ_PATH_LENGTH) return null;

    const path = parseReadPath(url);

    if (this.parsed.size >= this.limit) this.forgetOldest();

    this.parsed.set(url, path);

    return path;
  }

  get size(): number {
    return this.parsed.size;
  }

  private forgetOldest(): void {
    const oldest = this.parsed.keys().next();

    if (oldest.done !== true) this.parsed.delete(oldest.value);
  }
}

export function parseReadPath(url: string): ReadPath | null {
  const match = READ_PATH.exec(url);

  if (match === null) return null;

  const [, sessionId, integrationId, type, resourceId] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];

  return { sessionId, integrationId, type, resourceId };
}
