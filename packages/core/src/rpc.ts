import {
  InvalidInputError,
  NotFoundError,
  ReadOnlyError,
  TimeoutError,
  isPlainObject,
} from '@beaker-integrations/model';

import type { Context } from './context.js';
import {
  isMutable,
  providerId,
  type IntegrationProvider,
  type MutableIntegrationProvider,
  type WriteOptions,
} from './provider.js';

/** One generic call: every REST route is one of these. */
export interface ContextCall {
  /** `context`, `provider:<type>:<slug>`, `provider:<slug>` or `integration:<uuid>`. */
  target: string;
  function: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

export interface CallOptions extends WriteOptions {
  /** Milliseconds before the call fails with TimeoutError; no limit when absent. */
  timeoutMs?: number;
}

type ProviderCall = (
  provider: IntegrationProvider,
  params: unknown[],
  options: WriteOptions,
) => Promise<unknown>;

interface FunctionSpec {
  params: readonly string[];
  /** Number of leading params that are required. */
  required: number;
  run: ProviderCall;
}

const EMPTY = Object.freeze({});

const write = (provider: IntegrationProvider): MutableIntegrationProvider => {
  if (!isMutable(provider)) throw new ReadOnlyError(providerId(provider));

  return provider;
};

const str = (value: unknown): string => value as string;

/** Callable functions of a provider; nothing outside this table can be called. */
const PROVIDER_FUNCTIONS: Record<string, FunctionSpec> = {
  list_integrations: {
    params: [],
    required: 0,
    run: async (p) => Object.fromEntries((await p.listIntegrations()).map((i) => [i.uuid, i])),
  },
  get_integration: {
    params: ['integration_id'],
    required: 1,
    run: (p, [id]) => p.getIntegration(str(id)),
  },
  list_resources: {
    params: ['integration_id', 'resource_type'],
    required: 1,
    run: (p, [id, type]) => p.listResources(str(id), type as string | undefined),
  },
  get_resource: {
    params: ['integration_id', 'resource_id'],
    required: 2,
    run: (p, [id, rid]) => p.getResource(str(id), str(rid)),
  },
  add_integration: {
    params: ['payload'],
    required: 1,
    run: (p, [payload], o) => write(p).addIntegration(payload as never, o),
  },
  update_integration: {
    params: ['integration_id', 'payload'],
    required: 2,
    run: (p, [id, payload], o) => write(p).updateIntegration(str(id), payload as never, o),
  },
  remove_integration: {
    params: ['integration_id'],
    required: 1,
    run: async (p, [id], o) => {
      await write(p).removeIntegration(str(id), o);
      return EMPTY;
    },
  },
  add_resource: {
    params: ['integration_id', 'payload'],
    required: 2,
    run: (p, [id, payload], o) => write(p).addResource(str(id), payload as never, o),
  },
  update_resource: {
    params: ['integration_id', 'resource_id', 'payload'],
    required: 3,
    run: (p, [id, rid, payload], o) =>
      write(p).updateResource(str(id), str(rid), payload as never, o),
  },
  remove_resource: {
    params: ['integration_id', 'resource_id'],
    required: 2,
    run: async (p, [id, rid], o) => {
      await write(p).removeResource(str(id), str(rid), o);
      return EMPTY;
    },
  },
};

PROVIDER_FUNCTIONS.delete_resource = PROVIDER_FUNCTIONS.remove_resource!;

const CONTEXT_FUNCTIONS = ['list_integrations', 'list_providers', 'render_integration'] as const;

/** Names accepted as `function` for each target kind, for documentation and errors. */
export const CALLABLE_FUNCTIONS = {
  context: CONTEXT_FUNCTIONS,
  provider: Object.keys(PROVIDER_FUNCTIONS),
};

/**
 * Runs one call in a context and returns its JSON-ready result. Unknown
 * targets and functions fail with NotFoundError, bad arguments with
 * InvalidInputError, writes on read-only providers with ReadOnlyError, and
 * calls slower than `timeoutMs` with TimeoutError.
 *
 * NOTE: a write that times out may still complete afterwards; the caller
 * only learns that the outcome is unknown.
 */
export async function callInContext(
  context: Context,
  call: ContextCall,
  options: CallOptions = {},
): Promise<unknown> {
  const operation = `${call.target} ${call.function}`;
  const { timeoutMs, ...writeOptions } = options;
  const pending = dispatch(context, call, writeOptions);

  return timeoutMs === undefined ? pending : withTimeout(pending, timeoutMs, operation);
}

async function dispatch(
  context: Context,
  call: ContextCall,
  options: WriteOptions,
): Promise<unknown> {
  const args = call.args ?? [];
  const kwargs = call.kwargs ?? {};

  if (!Array.isArray(args)) throw new InvalidInputError('args', 'args must be an array');
  if (!isPlainObject(kwargs)) throw new InvalidInputError('kwargs', 'kwargs must be an object');

  if (call.target === 'context') return callContext(context, call.function, args, kwargs);

  const [kind, ...rest] = call.target.split(':');
  const reference = rest.join(':');

  if (kind === 'provider' && reference !== '') {
    const provider = context.resolveProvider(reference);

    return callProvider(provider, call.function, bind(call.function, args, kwargs), options);
  }

  if (kind === 'integration' && reference !== '') {
    const provider = await context.ownerOf(reference);
    const params = bind(call.function, args, kwargs, reference);

    return callProvider(provider, call.function, params, options);
  }

  throw new NotFoundError('target', call.target);
}

async function callContext(
  context: Context,
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  switch (name) {
    case 'list_integrations':
      return context.listIntegrations();
    case 'list_providers':
      return context.listProviders();
    case 'render_integration': {
      const id = args[0] ?? kwargs.integration_id;

      if (typeof id !== 'string') {
        throw new InvalidInputError('integration_id', 'integration_id must be a string');
      }

      return context.render(id);
    }
    default:
      throw new NotFoundError('function', name, `context has no callable function '${name}'`);
  }
}

function callProvider(
  provider: IntegrationProvider,
  name: string,
  params: unknown[],
  options: WriteOptions,
): Promise<unknown> {
  const spec = lookup(name);

  return spec.run(provider, params, options);
}

/**
 * Turns positional and keyword arguments into the function's parameter list.
 * For an `integration:<uuid>` target, a missing `integration_id` is taken from
 * the target, and a different one is rejected.
 */
function bind(
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  targetIntegration?: string,
): unknown[] {
  const spec = lookup(name);

  if (args.length > spec.params.length) {
    throw new InvalidInputError('args', `${name} takes at most ${spec.params.length} arguments`);
  }

  for (const key of Object.keys(kwargs)) {
    if (!spec.params.includes(key)) {
      throw new InvalidInputError(`kwargs.${key}`, `${name} has no parameter '${key}'`);
    }
  }

  const params = spec.params.map((param, index) =>
    index < args.length ? args[index] : kwargs[param],
  );

  if (targetIntegration !== undefined && spec.params[0] === 'integration_id') {
    if (params[0] === undefined) params[0] = targetIntegration;
    else if (params[0] !== targetIntegration) {
      throw new InvalidInputError(
        'integration_id',
        `integration_id ${JSON.stringify(params[0])} does not match the target integration '${targetIntegration}'`,
      );
    }
  }

  spec.params.forEach((param, index) =>
    checkParam(name, param, params[index], index < spec.required),
  );

  return params;
}

function checkParam(name: string, param: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) throw new InvalidInputError(param, `${name} requires '${param}'`);
    return;
  }

  if (param === 'payload') {
    if (!isPlainObject(value))
      throw new InvalidInputError('body', 'the payload must be a JSON object');
    return;
  }

  if (typeof value !== 'string') throw new InvalidInputError(param, `${param} must be a string`);
}

function lookup(name: string): FunctionSpec {
  const spec = Object.hasOwn(PROVIDER_FUNCTIONS, name) ? PROVIDER_FUNCTIONS[name] : undefined;

  if (spec === undefined) {
    throw new NotFoundError('function', name, `providers have no callable function '${name}'`);
  }

  return spec;
}

/** Rejects with TimeoutError when `pending` has not settled within `timeoutMs`. */
export function withTimeout<T>(
  pending: Promise<T>,
  timeoutMs: number,
  operation: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(operation, timeoutMs)), timeoutMs);
  });

  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}
