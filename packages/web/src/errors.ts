import {
  ApiError,
  ConflictApiError,
  InvalidInputApiError,
  NotFoundApiError,
  PayloadTooLargeApiError,
  PreconditionFailedApiError,
  ReadOnlyApiError,
  TimeoutApiError,
  UnauthorizedApiError,
} from '@beaker-integrations/client';

/** Kind of object the request was about, so the message can name it. */
export type Subject = 'integration' | 'file' | 'example' | 'list' | 'preview';

export interface ErrorContext {
  subject: Subject;
  /** The slug the integration would get, for the duplicate-name message. */
  slug?: string;
}

export interface ErrorMessage {
  /** A sentence for a person, saying what failed and what to do next. */
  text: string;
  /** The form field at fault, for 400 responses that name one. */
  field: string | undefined;
  /** The server's own detail, shown in small print for the service's operator. */
  detail: string | undefined;
  stale: boolean;
}

const SUBJECT_NAME: Record<Subject, string> = {
  integration: 'integration',
  file: 'file',
  example: 'example',
  list: 'list of integrations',
  preview: 'preview',
};

/** Turns an API or network failure into a message a person can act on. */
export function describeError(error: unknown, context: ErrorContext): ErrorMessage {
  const subject = SUBJECT_NAME[context.subject];

  if (!(error instanceof ApiError)) return describeOther(error);

  const base = { field: undefined, detail: error.problem.detail, stale: false };

  if (error instanceof InvalidInputApiError) {
    const field = fieldName(error.field);
    const where = field === undefined ? '' : ` in “${field}”`;

    return {
      ...base,
      field,
      detail: undefined,
      text: `The service rejected a value${where}: ${error.problem.detail}`,
    };
  }

  if (error instanceof ConflictApiError) return { ...base, text: conflictText(error, context) };

  if (error instanceof PreconditionFailedApiError) {
    const change =
      context.subject === 'file' || context.subject === 'example'
        ? `your change to the ${subject} was`
        : 'your changes were';

    return {
      ...base,
      stale: true,
      text: `Someone else changed this integration after you opened it, so ${change} not saved. Reload to see the current version, then apply your change again.`,
    };
  }

  if (error instanceof NotFoundApiError) {
    return {
      ...base,
      text: `This ${subject} was not found. It may have been deleted by someone else; go back to the list and reload.`,
    };
  }

  if (error instanceof ReadOnlyApiError) {
    return {
      ...base,
      text: `This integration belongs to a read-only provider, so it cannot be changed here.`,
    };
  }

  if (error instanceof PayloadTooLargeApiError) {
    return {
      ...base,
      text: `The service rejected the request because it is larger than its body limit. Use a smaller file, or ask the service's operator to raise --body-limit.`,
    };
  }

  if (error instanceof UnauthorizedApiError) {
    return {
      ...base,
      text: 'The service requires an access token. Enter it under “Access token” at the top of the page.',
    };
  }

  if (error instanceof TimeoutApiError) {
    return {
      ...base,
      text: `The service timed out while working on this ${subject}. Try again in a moment.`,
    };
  }

  const requestId = error.requestId === undefined ? '' : ` (request id ${error.requestId})`;

  return {
    ...base,
    text: `The service failed with status ${error.status}${requestId}. Try again; if it keeps failing, give the request id to the service's operator.`,
  };
}

function conflictText(error: ApiError, context: ErrorContext): string {
  const detail = error.problem.detail;

  if (context.subject === 'integration') {
    const slug = context.slug === undefined ? '' : ` (slug “${context.slug}”)`;

    return `Another integration already uses that name${slug}. Choose a different name.`;
  }

  if (context.subject === 'file' && /filepath/.test(detail)) {
    return `Another file of this integration already uses that file path. Choose another path or edit that file instead.`;
  }

  return `The change conflicts with what is stored: ${detail}`;
}

function describeOther(error: unknown): ErrorMessage {
  const base = { field: undefined, stale: false };

  if (error instanceof TypeError) {
    return {
      ...base,
      detail: error.message,
      text: 'The service could not be reached. Check that it is running and that this page comes from it, then try again.',
    };
  }

  const detail = error instanceof Error ? error.message : String(error);

  return { ...base, detail, text: `Something went wrong in this page: ${detail}` };
}

/** Extracts the form field from a problem's dotted field path, such as `resources.x.name` → `name`. */
export function fieldName(field: string | undefined): string | undefined {
  if (field === undefined || field === '' || field === 'body') return undefined;

  const parts = field.split('.');

  return parts[parts.length - 1];
}

/** Tells whether a write failed because the copy it was based on is out of date. */
export function isStale(error: unknown): boolean {
  return error instanceof PreconditionFailedApiError;
}
