import { posix } from 'node:path';

/*
 * Rules of the API, as the fuzz test's model applies them: what each
 * request body must contain, and what the service stores and sends for it.
 * They are written from the documented behaviour, independently of the
 * server's code, so where the two disagree one of them is wrong.
 */

export const PROVIDER = 'adhoc:specialist_agents';

const DATATYPES = ['api', 'database', 'dataset'];
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const SLUG = /^[\p{L}\p{N}_-]+$/u;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type Json = Record<string, unknown>;

/** Expected state of the store: each integration by uuid, exactly as the API should send it. */
export class FuzzModel {
  readonly integrations = new Map<string, Json>();

  uuids(): string[] {
    return [...this.integrations.keys()].sort();
  }
}

/** Derives a slug as Beaker does: lower-case, trim, then `_` for each character that is not a letter, number or `_`. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}_]/gu, '_');
}

function defaultFilepath(name: string): string {
  return name.toLowerCase().replace(/ /g, '_');
}

/** The stored form of a filepath, or undefined when it must be rejected. */
function normalizedFilepath(filepath: string): string | undefined {
  if (filepath.trim() === '') return undefined;
  if (posix.isAbsolute(filepath) || /^[A-Za-z]:/.test(filepath)) return undefined;
  // eslint-disable-next-line no-control-regex
  if (filepath.includes('\\') || /[\u0000-\u001f\u007f]/.test(filepath)) return undefined;
  if (filepath.split('/').includes('..')) return undefined;

  const normalized = posix.normalize(filepath);

  return normalized === '.' || normalized.endsWith('/') ? undefined : normalized;
}

const isString = (value: unknown) => typeof value === 'string';
const isNullableString = (value: unknown) => value === null || typeof value === 'string';

/** Checks whether an integration body breaks a field rule; every field is optional, as in an update. */
export function integrationFieldsInvalid(body: Json): boolean {
  if (!wellFormed(body)) return true;

  const has = (field: string) => body[field] !== undefined;
  const name = body.name;

  if (has('name') && (!isString(name) || name.length > 200)) return true;
  if (has('name') && (name as string).trim() === '') return true;
  if (has('description') && !isString(body.description)) return true;
  if (has('slug') && !validSlug(body.slug)) return true;
  if (has('datatype') && !DATATYPES.includes(body.datatype as string)) return true;
  if (has('url') && !isNullableString(body.url)) return true;
  if (has('img_url') && !isNullableString(body.img_url)) return true;
  if (has('source') && !isNullableString(body.source)) return true;
  if (has('uuid') && !(isString(body.uuid) && ID.test(body.uuid))) return true;
  if (has('provider') && !isString(body.provider)) return true;

  const date = body.last_updated;

  if (has('last_updated') && date !== null && !(isString(date) && DATE.test(date))) return true;

  return false;
}

/** Checks that every string in the value, keys included, is well-formed UTF-16, so UTF-8 can store it. */
function wellFormed(value: unknown): boolean {
  if (typeof value === 'string')
    return !/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
  if (value === null || typeof value !== 'object') return true;

  return Object.entries(value).every(([key, item]) => wellFormed(key) && wellFormed(item));
}

export function validSlug(slug: unknown): boolean {
  return typeof slug === 'string' && slug.length <= 100 && SLUG.test(slug);
}

export const INTEGRATION_FIELDS = [
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
];

/** Copies the value through JSON, as the server receives it, so `undefined` fields are gone. */
export function wire(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

export function extras(body: Json, known: string[]): Json {
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => !known.includes(key) && value !== undefined),
  );
}

export function slugTaken(model: FuzzModel, slug: string, self?: string): boolean {
  return [...model.integrations.values()].some(
    (other) => other.uuid !== self && (other.slug as string).toLowerCase() === slug.toLowerCase(),
  );
}

export function resourcesOf(integration: Json): Record<string, Json> {
  return integration.resources as Record<string, Json>;
}

/** Checks whether `resource` collides with one of `others` on id, filepath or file name. */
export function resourceTaken(others: Record<string, Json>, resource: Json): boolean {
  if (Object.hasOwn(others, resource.resource_id as string)) return true;
  if (resource.resource_type !== 'file') return false;

  return Object.values(others).some(
    (other) =>
      other.resource_type === 'file' &&
      (other.filepath === resource.filepath || other.name === resource.name),
  );
}

const FILE_FIELDS = ['resource_type', 'resource_id', 'integration', 'name', 'filepath', 'content'];

const EXAMPLE_FIELDS = ['resource_type', 'resource_id', 'integration', 'query', 'code', 'notes'];

/**
 * Builds the resource that a create or merged update body describes, or undefined when
 * it is invalid. Fields of the other type are kept as extra fields.
 */
export function completeResource(type: string, body: Json, integration: string): Json | undefined {
  if (!wellFormed(body)) return undefined;

  const known = completeKnownFields(type, body, integration);

  if (known === undefined) return undefined;

  return { ...extras(body, type === 'file' ? FILE_FIELDS : EXAMPLE_FIELDS), ...known };
}

function completeKnownFields(type: string, body: Json, integration: string): Json | undefined {
  const id = body.resource_id;

  if (id !== undefined && !(isString(id) && ID.test(id))) return undefined;

  if (type === 'example') {
    if (!isString(body.query) || !isString(body.code)) return undefined;
    if (body.notes !== undefined && !isNullableString(body.notes)) return undefined;

    return {
      resource_type: 'example',
      resource_id: id,
      integration,
      query: body.query,
      code: body.code,
      notes: body.notes ?? null,
    };
  }

  const name = body.name;

  if (!isString(name) || name.length === 0 || name.length > 200) return undefined;
  if (body.content !== undefined && !isString(body.content)) return undefined;

  const rawPath = body.filepath ?? defaultFilepath(name);

  if (!isString(rawPath) || rawPath.length > 1024) return undefined;
  if (body.filepath !== undefined && rawPath.length === 0) return undefined;

  const filepath = normalizedFilepath(rawPath);

  if (filepath === undefined) return undefined;

  return {
    resource_type: 'file',
    resource_id: id,
    integration,
    name,
    filepath,
    content: body.content ?? '',
  };
}

/** Builds the listing the model predicts, in the full or the summary view. */
export function listingOf(model: FuzzModel, view: 'listing' | 'summary' = 'listing'): Json {
  const integrations: Json = {};

  for (const [uuid, integration] of model.integrations) {
    integrations[uuid] = view === 'summary' ? summarize(integration) : integration;
  }

  return { integrations };
}

function summarize(integration: Json): Json {
  const resources: Json = {};

  for (const [id, resource] of Object.entries(resourcesOf(integration))) {
    const { content, code, ...rest } = resource;

    resources[id] = resource.resource_type === 'file' ? { ...rest, code } : { ...rest, content };
    dropUndefined(resources[id] as Json);
  }

  return { ...integration, resources };
}

function dropUndefined(value: Json): void {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
}
