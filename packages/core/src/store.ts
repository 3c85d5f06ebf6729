import type { Integration } from '@beaker-integrations/model';

/**
 * A stored integration as a store reads and writes it: the wire fields plus
 * any extra fields the stored document had, which are written back
 * unchanged. The stored `provider` value is informational: the loading
 * provider replaces it with its own `type:slug` in memory.
 */
export type StoredIntegration = Integration & Record<string, unknown>;

/** One folder, row or document that could not be loaded, and why. */
export interface LoadProblem {
  /** Folder name, file path or row id that the problem is about. */
  location: string;
  message: string;
}

export interface LoadResult {
  /** Integrations in load order: the first of two with one uuid wins. */
  integrations: StoredIntegration[];
  problems: LoadProblem[];
}

export interface StoreHealth {
  writable: boolean;
  detail?: string;
}

/**
 * Persistence behind a store-backed provider. The provider keeps the
 * in-memory copy, validates every payload, serialises writes per integration
 * and checks preconditions; a store only loads and persists whole
 * integrations. A write that throws must leave the stored copy as it was.
 *
 * Implementations: the filesystem store (Beaker's folders) and, later,
 * Postgres. All of them pass one shared contract test suite.
 */
export interface IntegrationStore {
  /**
   * Identity of the underlying storage. Two store objects with one key would
   * share state, so the registry keeps a single provider per key.
   */
  readonly key: string;

  /** Reads every integration. Problems with single items are reported, not thrown. */
  load(): Promise<LoadResult>;

  /**
   * Persists `next`. `previous` is the integration as last loaded or saved,
   * or null for a new one. Stores use it to write only what changed and to
   * keep what they did not load.
   */
  save(previous: StoredIntegration | null, next: StoredIntegration): Promise<void>;

  /** Removes an integration (the filesystem store moves its folder to a trash folder). */
  remove(integration: StoredIntegration): Promise<void>;

  /** Checks that the store can be written, without changing anything. */
  health(): Promise<StoreHealth>;

  /**
   * Validates a file resource's `filepath` against the store's own rules,
   * such as symbolic links in an attachments folder. The provider has already
   * rejected absolute paths and `..` segments. Throws InvalidInputError.
   */
  checkFilePath?(integration: StoredIntegration, filepath: string): Promise<void>;

  /** Text joined into the provider's prompt instructions (the `prompts/` folder). */
  promptInstructions?(): Promise<string | undefined>;

  /** Absolute path of a data file or folder for the `{% file PATH %}` tag, or undefined. */
  resolveDataFile?(path: string): string | undefined;

  close?(): Promise<void>;
}
