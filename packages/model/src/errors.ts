/**
 * Domain errors. Stores, providers and contexts throw these; they know nothing
 * of HTTP. The server maps each `code` to a status in one place, and the error
 * catalogue in the docs lists every code (a test checks that it does).
 */

export const ERROR_CODES = [
  'not_found',
  'invalid_input',
  'conflict',
  'read_only',
  'precondition_failed',
  'timeout',
  'limit_exceeded',
  'storage_failure',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An unknown session, context, provider, integration, resource or function. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';

  constructor(
    readonly kind: string,
    readonly id: string,
    message = `${kind} '${id}' was not found`,
  ) {
    super(message);
  }
}

/** A request value that fails validation; `field` is its dotted path. */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid_input';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A write that would break a uniqueness rule, such as a duplicate slug. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A write method called on a provider that only reads. */
export class ReadOnlyError extends DomainError {
  readonly code = 'read_only';

  constructor(
    readonly provider: string,
    message = `provider '${provider}' is read-only and cannot be changed`,
  ) {
    super(message);
  }
}

/** A conditional write whose expected version no longer matches. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'precondition_failed';
}

/** A provider call that did not finish within its time limit. */
export class TimeoutError extends DomainError {
  readonly code = 'timeout';

  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} timed out after ${timeoutMs} ms`);
  }
}

/** A bounded resource, such as the number of live sessions, is exhausted. */
export class LimitExceededError extends DomainError {
  readonly code = 'limit_exceeded';
}

/**
 * A store could not persist a change (read-only folder, full disk, folder
 * removed behind the service). Nothing was changed in memory.
 */
export class StorageError extends DomainError {
  readonly code = 'storage_failure';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
