import { InvalidInputError } from '@beaker-integrations/model';

/** A UTF-16 surrogate without its partner (the `u` flag is off on purpose, to see code units). */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Rejects strings, keys included, that hold an unpaired UTF-16 surrogate.
 * JSON can carry one as an escape such as `\ud800`, but UTF-8 files cannot
 * store it, so it would come back as U+FFFD after a restart. Call it after
 * `assertSafeKeys`, which bounds the depth.
 */
export function assertWellFormedText(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (UNPAIRED_SURROGATE.test(value)) reject(path);
    return;
  }

  if (value === null || typeof value !== 'object') return;

  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === '' ? key : `${path}.${key}`;

    if (UNPAIRED_SURROGATE.test(key)) reject(path || 'body');

    assertWellFormedText(item, itemPath);
  }
}

function reject(field: string): never {
  throw new InvalidInputError(
    field || 'body',
    `${field || 'body'} contains an unpaired UTF-16 surrogate, which cannot be stored as UTF-8 text; send well-formed Unicode text`,
  );
}
