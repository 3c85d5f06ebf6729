import { createHash } from 'node:crypto';
import type { StoredIntegration } from '@beaker-integrations/core';
import { DATATYPES, idRecord, slugify, type Resource } from '@beaker-integrations/model';
import { isPlainObject, setOwn, type PlainObject } from './values.js';

/*
 * Conversion between the mapping in an `api.yaml` and a StoredIntegration.
 * Fields the document carries beyond the known ones are kept as they are.
 */

/** A file resource whose content is still to be read from `attachments/<filepath>`. */
export interface AttachmentRef {
  resourceId: string;
  filepath: string;
}

export interface ConvertedDocument {
  /** Undefined when the document cannot be served, and `problems` gives the reason. */
  integration?: StoredIntegration;
  attachments: AttachmentRef[];
  problems: string[];
}

/**
 * Derives a UUID (version 4 layout) from the folder name for documents
 * without a `uuid`, so that the id stays the same across restarts.
 */
export function folderUuid(folderName: string): string {
  const bytes = createHash('sha256').update(`beaker-integrations folder ${folderName}`).digest();

  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;

  const hex = bytes.subarray(0, 16).toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Beaker's default attachment path: the resource name in lower case with spaces replaced by `_`. */
export function defaultFilepath(name: string): string {
  return name.toLowerCase().replace(/ /g, '_');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;

  return `a ${typeof value}`;
}

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = (value) => typeof value === 'string';
const isNonEmptyString: FieldCheck = (value) => typeof value === 'string' && value !== '';
const isStringOrNull: FieldCheck = (value) => value === null || typeof value === 'string';

/** Required fields, as Beaker requires them: a missing key skips the folder. */
const REQUIRED: [string, FieldCheck, string][] = [
  ['name', isNonEmptyString, 'a non-empty string'],
  ['description', isString, 'a string'],
  ['source', isStringOrNull, 'a string or null'],
];

/** Optional fields with their type rule. Absent ones get defaults. */
const OPTIONAL: [string, FieldCheck, string][] = [
  ['uuid', isNonEmptyString, 'a non-empty string'],
  ['slug', isNonEmptyString, 'a non-empty string'],
  ['url', isStringOrNull, 'a string or null'],
  ['img_url', isStringOrNull, 'a string or null'],
  ['last_updated', isStringOrNull, 'a string or null'],
];

function fieldProblems(data: PlainObject): string[] {
  const problems: string[] = [];

  for (const [field, check, expected] of REQUIRED) {
    if (!Object.hasOwn(data, field)) problems.push(`missing required field '${field}'`);
    else if (!check(data[field]))
      problems.push(`field '${field}' must be ${expected}, not ${describe(data[field])}`);
  }

  for (const [field, check, expected] of OPTIONAL) {
    if (Object.hasOwn(data, field) && !check(data[field]))
      problems.push(`field '${field}' must be ${expected}, not ${describe(data[field])}`);
  }

  const datatype = data.datatype;

  if (
    datatype !== undefined &&
    datatype !== null &&
    !(DATATYPES as readonly unknown[]).includes(datatype)
  )
    problems.push(
      `field 'datatype' must be one of ${DATATYPES.join(', ')}, not ${describe(datatype)}`,
    );

  const resources = data.resources;

  if (resources !== undefined && resources !== null && !isPlainObject(resources))
    problems.push(`field 'resources' must be a mapping, not ${describe(resources)}`);

  return problems;
}

/** Converts a parsed `api.yaml` into an integration whose file resources still lack content. */
export function documentToIntegration(data: unknown, folderName: string): ConvertedDocument {
  if (!isPlainObject(data)) {
    return {
      attachments: [],
      problems: [`api.yaml is not a mapping: it contains ${describe(data)}`],
    };
  }

  const problems = fieldProblems(data);

  if (problems.length > 0) return { attachments: [], problems };

  const name = data.name as string;
  const uuid = (data.uuid as string | undefined) ?? folderUuid(folderName);
  const { resources, attachments, resourceProblems } = convertResources(data.resources, uuid);

  const integration = {
    ...data,
    uuid,
    name,
    description: data.description as string,
    provider: typeof data.provider === 'string' ? data.provider : '',
    slug: (data.slug as string | undefined) ?? slugify(name),
    datatype: data.datatype ?? 'api',
    url: data.url ?? null,
    img_url: data.img_url ?? null,
    source: data.source as string | null,
    last_updated: data.last_updated ?? null,
    resources,
  } as StoredIntegration;

  return { integration, attachments, problems: resourceProblems };
}

function convertResources(value: unknown, uuid: string) {
  const resources = idRecord<Resource>();
  const attachments: AttachmentRef[] = [];
  const resourceProblems: string[] = [];

  for (const [resourceId, entry] of Object.entries(isPlainObject(value) ? value : {})) {
    const converted = convertResource(resourceId, entry, uuid);

    if (typeof converted === 'string') {
      resourceProblems.push(
        `resource '${resourceId}' ${converted}; it stays in api.yaml but is not loaded`,
      );
      continue;
    }

    setOwn(resources, resourceId, converted);

    if (converted.resource_type === 'file')
      attachments.push({ resourceId, filepath: converted.filepath as string });
  }

  return { resources, attachments, resourceProblems };
}

/**
 * Returns the resource with its type, id and owner set, or why it cannot be
 * loaded. When `resource_type` is absent, a `filepath` makes a file and `code`
 * makes an example, as in Beaker.
 */
function convertResource(resourceId: string, entry: unknown, uuid: string): PlainObject | string {
  if (!isPlainObject(entry)) return `is not a mapping`;

  const kind = resourceKind(entry);

  if (kind === undefined) return `has unknown type ${describe(entry.resource_type)}`;

  const problem = kind === 'file' ? fileProblem(entry) : exampleProblem(entry);

  if (problem !== undefined) return problem;

  const resource: PlainObject = {
    ...entry,
    resource_type: kind,
    resource_id: resourceId,
    integration: uuid,
  };

  if (kind === 'file') {
    resource.filepath = entry.filepath ?? defaultFilepath(entry.name as string);
    resource.content = '';
  } else {
    resource.notes = entry.notes ?? null;
  }

  return resource;
}

function resourceKind(entry: PlainObject): 'file' | 'example' | undefined {
  const type = entry.resource_type;

  if (type === 'file' || type === 'example') return type;
  if (type !== undefined && type !== null) return undefined;
  if (entry.filepath !== undefined && entry.filepath !== null) return 'file';
  if (entry.code !== undefined && entry.code !== null) return 'example';

  return undefined;
}

function fileProblem(entry: PlainObject): string | undefined {
  if (typeof entry.name !== 'string') return `has no 'name' string`;
  if (!isStringOrNull(entry.filepath ?? null))
    return `has a 'filepath' that is ${describe(entry.filepath)}`;

  return undefined;
}

function exampleProblem(entry: PlainObject): string | undefined {
  if (typeof entry.query !== 'string') return `has no 'query' string`;
  if (typeof entry.code !== 'string') return `has no 'code' string`;
  if (!isStringOrNull(entry.notes ?? null)) return `has 'notes' that are ${describe(entry.notes)}`;

  return undefined;
}

/**
 * Builds the mapping written to `api.yaml` for an integration, without file
 * contents, which live in attachment files.
 */
export function integrationToDocument(integration: StoredIntegration): PlainObject {
  const resources = idRecord<unknown>();

  for (const [resourceId, resource] of Object.entries(integration.resources ?? {})) {
    if (resource.resource_type !== 'file') {
      setOwn(resources, resourceId, resource);
      continue;
    }

    const { content: _content, ...rest } = resource;

    setOwn(resources, resourceId, rest);
  }

  return { ...integration, resources };
}
