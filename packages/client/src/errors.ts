import type { Problem } from '@beaker-integrations/model';

/** An error response of the API, carrying its RFC 9457 problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = new.target.name;
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The request field at fault, for 400 responses that name one. */
  get field(): string | undefined {
    return this.problem.field;
  }

  get requestId(): string | undefined {
    return this.problem.request_id;
  }
}

export class InvalidInputApiError extends ApiError {}
export class UnauthorizedApiError extends ApiError {}
export class NotFoundApiError extends ApiError {}
export class ReadOnlyApiError extends ApiError {}
export class ConflictApiError extends ApiError {}
export class PreconditionFailedApiError extends ApiError {}
export class PayloadTooLargeApiError extends ApiError {}
export class TimeoutApiError extends ApiError {}

const ERROR_BY_STATUS: Record<number, new (problem: Problem) => ApiError> = {
  400: InvalidInputApiError,
  401: UnauthorizedApiError,
  404: NotFoundApiError,
  405: ReadOnlyApiError,
  409: ConflictApiError,
  412: PreconditionFailedApiError,
  413: PayloadTooLargeApiError,
  504: TimeoutApiError,
};

/** Builds the typed error for a problem; statuses without a class get ApiError. */
export function errorFromProblem(problem: Problem): ApiError {
  const ErrorClass = ERROR_BY_STATUS[problem.status] ?? ApiError;

  return new ErrorClass(problem);
}

/** The service could not be reached at all: refused connection, DNS failure, reset. */
export class ConnectionError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);

    super(`could not reach ${url}: ${reason}; check that the service is running`, { cause });
    this.name = 'ConnectionError';
  }
}

/** Problem details for a response that did not carry any, such as a proxy's 502 page. */
export function fallbackProblem(status: number, statusText: string, body: string): Problem {
  return {
    type: 'about:blank',
    title: statusText || 'Error',
    status,
    detail: body.slice(0, 200) || `HTTP ${status}`,
    code: 'http_error',
  };
}
