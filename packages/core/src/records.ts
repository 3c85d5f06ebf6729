import { randomUUID } from 'node:crypto';

import {
  ExampleResourceCreate,
  FileResourceCreate,
  IntegrationCreate,
  IntegrationUpdate,
  InvalidInputError,
  assertSafeKeys,
  parseWithSchema,
  requireObject,
  slugify,
  type ExampleResource,
  type FileResource,
  type Resource,
} from '@beaker-integrations/model';

import { defaultFilepath, normalizeFilepath } from './file-path.js';
import type { StoredIntegration } from './store.js';
import { assertWellFormedText } from './well-formed.js';

/** Wire order of an integration's known fields; extra fields follow them. */
const INTEGRATION_FIELDS = [
  'uuid',
  'name',
  'description',
  'provider',
  'slug',
  'datatype',
  'url',
  'img_url',
  'source',
  'last_updated',
  'resources',
] as const;

const FILE_FIELDS = ['resource_type', 'resource_id', 'integration', 'name', 'filepath', 'content'];
const EXAMPLE_FIELDS = ['resource_type', 'resource_id', 'integration', 'query', 'code', 'notes'];
const SLUG_PATTERN = /^[\p{L}\p{N}_-]+$/u;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Validates a create payload and returns the new integration, with no resources yet. */
export function buildIntegration(payload: unknown, provider: string): StoredIntegration {
  const body = requireObject(payload);

  assertSafeKeys(body);
  assertWellFormedText(body);

  const input = parseWithSchema(IntegrationCreate, body);
  const name = requireName(input.name);

  return orderIntegration({
    ...extraFields(body, INTEGRATION_FIELDS),
    uuid: input.uuid ?? randomUUID(),
    name,
    description: input.description,
    provider,
    slug: validateSlug(input.slug ?? slugify(name)),
    datatype: input.datatype ?? 'api',
    url: input.url ?? null,
    img_url: input.img_url ?? null,
    source: input.source ?? '',
    last_updated: validateDate(input.last_updated ?? null),
    resources: {},
  });
}

/**
 * Merges an update payload over `current`. `uuid`, `provider` and
 * `resources` are not changed by an update, as in Beaker, whose frontend
 * sends the whole integration back with a stale `resources` map. A `uuid`
 * that names another integration is rejected as a likely client mistake.
 */
export function mergeIntegration(current: StoredIntegration, payload: unknown): StoredIntegration {
  const body = requireObject(payload);

  assertSafeKeys(body);
  assertWellFormedText(body);

  const input = parseWithSchema(IntegrationUpdate, body);

  if (input.uuid !== undefined && input.uuid !== current.uuid) {
    throw new InvalidInputError(
      'uuid',
      `uuid '${input.uuid}' does not match the integration being updated ('${current.uuid}'); leave it out or send the same value`,
    );
  }

  const next: StoredIntegration = { ...current, ...extraFields(body, INTEGRATION_FIELDS) };

  if (input.name !== undefined) next.name = requireName(input.name);
  if (input.description !== undefined) next.description = input.description;
  if (input.slug !== undefined) next.slug = validateSlug(input.slug);
  if (input.datatype !== undefined) next.datatype = input.datatype;
  if (input.url !== undefined) next.url = input.url;
  if (input.img_url !== undefined) next.img_url = input.img_url;
  if (input.source !== undefined) next.source = input.source;
  if (input.last_updated !== undefined) next.last_updated = validateDate(input.last_updated);

  return orderIntegration(next);
}

/** Validates a resource create payload and returns the resource for `integrationId`. */
export function buildResource(integrationId: string, payload: unknown): Resource {
  const body = requireObject(payload);

  assertSafeKeys(body);
  assertWellFormedText(body);

  const resourceType = requireResourceType(body.resource_type);
  const resourceId = (body.resource_id as string | undefined) ?? randomUUID();

  return completeResource(resourceType, { ...body, resource_id: resourceId }, integrationId);
}

/**
 * Merges an update payload over a stored resource. The path's resource id is
 * the one updated, so a different `resource_id` in the body is rejected, and
 * a resource cannot change its type.
 */
export function mergeResource(current: Resource, payload: unknown): Resource {
  const body = requireObject(payload);

  assertSafeKeys(body);
  assertWellFormedText(body);

  if (body.resource_id !== undefined && body.resource_id !== current.resource_id) {
    throw new InvalidInputError(
      'resource_id',
      `resource_id ${JSON.stringify(body.resource_id)} does not match the resource being updated ('${current.resource_id}'); leave it out or send the same value`,
    );
  }

  if (body.resource_type !== undefined && body.resource_type !== current.resource_type) {
    throw new InvalidInputError(
      'resource_type',
      `resource_type ${JSON.stringify(body.resource_type)} does not match the stored resource's type '${current.resource_type}'; a resource cannot change type`,
    );
  }

  const merged = { ...current, ...body, resource_id: current.resource_id };

  return completeResource(current.resource_type, merged, current.integration);
}

function completeResource(
  resourceType: Resource['resource_type'],
  body: Record<string, unknown>,
  integrationId: string,
): Resource {
  if (resourceType === 'file') {
    const input = parseWithSchema(FileResourceCreate, body);
    const filepath = normalizeFilepath(input.filepath ?? defaultFilepath(input.name));
    const resource: FileResource = {
      ...extraFields(body, FILE_FIELDS),
      resource_type: 'file',
      resource_id: input.resource_id ?? randomUUID(),
      integration: integrationId,
      name: input.name,
      filepath,
      content: input.content ?? '',
    };

    return resource;
  }

  const input = parseWithSchema(ExampleResourceCreate, body);
  const resource: ExampleResource = {
    ...extraFields(body, EXAMPLE_FIELDS),
    resource_type: 'example',
    resource_id: input.resource_id ?? randomUUID(),
    integration: integrationId,
    query: input.query,
    code: input.code,
    notes: input.notes ?? null,
  };

  return resource;
}

/** Returns a copy with the known fields in wire order, then the extra fields. */
export function orderIntegration(integration: StoredIntegration): StoredIntegration {
  const ordered: Record<string, unknown> = {};

  for (const field of INTEGRATION_FIELDS) ordered[field] = integration[field];

  return { ...ordered, ...extraFields(integration, INTEGRATION_FIELDS) } as StoredIntegration;
}

export function requireResourceType(value: unknown): Resource['resource_type'] {
  if (value === 'file' || value === 'example') return value;

  const received = value === undefined ? 'it is missing' : `received ${JSON.stringify(value)}`;

  throw new InvalidInputError(
    'resource_type',
    `resource_type must be 'file' or 'example' (${received})`,
  );
}

function extraFields(
  body: Record<string, unknown>,
  known: readonly string[],
): Record<string, unknown> {
  const extras: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(body)) {
    if (!known.includes(key) && value !== undefined) extras[key] = value;
  }

  return extras;
}

function requireName(name: string): string {
  if (name.trim() === '') {
    throw new InvalidInputError('name', 'name must not be blank; give the integration a name');
  }

  return name;
}

function validateSlug(slug: string): string {
  if (!SLUG_PATTERN.test(slug) || slug.length > 100) {
    throw new InvalidInputError(
      'slug',
      `slug '${slug}' is invalid; use 1 to 100 letters, digits, '_' or '-'`,
    );
  }

  return slug;
}

function validateDate(value: string | null): string | null {
  if (value !== null && !DATE_PATTERN.test(value)) {
    throw new InvalidInputError(
      'last_updated',
      `last_updated '${value}' is not an ISO date or date-time; use e.g. 2024-01-31 or 2024-01-31T12:00:00Z`,
    );
  }

  return value;
}
