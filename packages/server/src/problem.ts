import { STATUS_CODES } from 'node:http';

import {
  InvalidInputError,
  isDomainError,
  type ErrorCode,
  type Problem,
} from '@beaker-integrations/model';

/** HTTP status of each domain error code: the one place errors meet HTTP. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  read_only: 405,
  conflict: 409,
  precondition_failed: 412,
  limit_exceeded: 429,
  storage_failure: 503,
  timeout: 504,
};

/** Codes for failures the HTTP layer detects itself, before any domain code runs. */
export type HttpErrorCode =
  | ErrorCode
  | 'payload_too_large'
  | 'route_not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'internal_error';

// A URN rather than a URL: the codes are documented in docs/api.md, not served.
const PROBLEM_TYPE_BASE = 'urn:beaker-integrations:problem:';

export function problem(
  status: number,
  code: HttpErrorCode,
  detail: string,
  extra: Partial<Problem> = {},
): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: unknown;
}

/**
 * Turns any error into problem details. `internal` is true when the error is
 * unexpected: its message is then hidden from the client and must be logged.
 */
export function toProblem(error: unknown, requestId: string): { body: Problem; internal: boolean } {
  if (isDomainError(error)) {
    const field = error instanceof InvalidInputError ? { field: error.field } : {};
    const body = problem(STATUS_BY_CODE[error.code], error.code, error.message, {
      ...field,
      request_id: requestId,
    });

    return { body, internal: false };
  }

  const status = (error as FastifyLikeError | undefined)?.statusCode;

  if (status !== undefined && status >= 400 && status < 500) {
    return { body: clientProblem(error as FastifyLikeError, status, requestId), internal: false };
  }

  const detail = `unexpected server error; quote request id ${requestId} when reporting it`;

  return {
    body: problem(500, 'internal_error', detail, { request_id: requestId }),
    internal: true,
  };
}

/** Maps Fastify's own 4xx errors (body too large, unparsable JSON, schema validation). */
function clientProblem(error: FastifyLikeError, status: number, requestId: string): Problem {
  if (status === 413) {
    return problem(
      413,
      'payload_too_large',
      `${error.message}; send a smaller body or raise the server's body limit`,
      {
        request_id: requestId,
      },
    );
  }

  return problem(status, status === 404 ? 'not_found' : 'invalid_input', error.message, {
    request_id: requestId,
  });
}
