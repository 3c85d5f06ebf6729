/*
 * V8 gives an object literal a hidden class per property it adds, and keeps
 * the classes in a transition tree shared by every object that starts as
 * `{}`. Ids as property names (resources by uuid, integrations by uuid) put
 * thousands of one-off classes there. With 10,000 integrations loaded, every
 * later request's short-lived objects then survived young-generation
 * collections until a full collection, which halved the throughput of a
 * plain GET for seconds after start-up (docs/benchmarks.md). An object in
 * dictionary mode keeps its keys in a hash table instead and adds nothing to
 * that tree, so records keyed by ids use one.
 */

/** Returns an empty object, with the usual prototype, meant for keys that are ids. */
export function idRecord<T>(): Record<string, T> {
  const record: Record<string, unknown> = { first: 0, second: 0 };

  // Deleting a property other than the last one switches V8 to dictionary mode.
  delete record.first;
  delete record.second;

  return record as Record<string, T>;
}

/** Copies `source` into a new `idRecord`, keeping its key order. */
export function toIdRecord<T>(source: Readonly<Record<string, T>>): Record<string, T> {
  const record = idRecord<T>();

  for (const key of Object.keys(source)) {
    Object.defineProperty(record, key, {
      value: source[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  return record;
}
