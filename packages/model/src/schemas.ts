import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Wire shapes of the integrations API. Each is declared once here; the
 * TypeScript types, request validation and the OpenAPI document derive from
 * these schemas. JSON field names are fixed by Beaker's clients and folders.
 */

/** Identifier accepted in a URL path segment: session, integration and resource ids. */
export const ID_PATTERN = '^[A-Za-z0-9_-]+$';
export const RESOURCE_TYPE_PATTERN = '^[A-Za-z0-9_]+$';
export const MAX_ID_LENGTH = 128;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Id = Type.String({ pattern: ID_PATTERN, minLength: 1, maxLength: MAX_ID_LENGTH });

export const Datatype = Type.Union(
  [Type.Literal('api'), Type.Literal('database'), Type.Literal('dataset')],
  { default: 'api' },
);
export type Datatype = Static<typeof Datatype>;
export const DATATYPES: readonly Datatype[] = ['api', 'database', 'dataset'];

export const FileResource = Type.Object(
  {
    resource_type: Type.Literal('file'),
    resource_id: Type.String(),
    integration: Type.String(),
    name: Type.String({ description: 'Template variable name and display name' }),
    filepath: Type.String({ description: 'Path relative to the attachments folder' }),
    content: Type.String(),
  },
  { additionalProperties: true, title: 'FileResource' },
);
export type FileResource = Static<typeof FileResource>;

export const ExampleResource = Type.Object(
  {
    resource_type: Type.Literal('example'),
    resource_id: Type.String(),
    integration: Type.String(),
    query: Type.String(),
    code: Type.String(),
    notes: Nullable(Type.String()),
  },
  { additionalProperties: true, title: 'ExampleResource' },
);
export type ExampleResource = Static<typeof ExampleResource>;

export const Resource = Type.Union([FileResource, ExampleResource], { title: 'Resource' });
export type Resource = Static<typeof Resource>;
export type ResourceType = Resource['resource_type'];
export const RESOURCE_TYPES: readonly ResourceType[] = ['file', 'example'];

export const Integration = Type.Object(
  {
    uuid: Type.String(),
    name: Type.String(),
    description: Type.String(),
    provider: Type.String({ description: '"<provider_type>:<provider_slug>" of the owner' }),
    slug: Type.String(),
    datatype: Datatype,
    url: Nullable(Type.String()),
    img_url: Nullable(Type.String()),
    source: Nullable(Type.String({ description: 'Agent documentation, a Jinja2 template' })),
    last_updated: Nullable(Type.String({ description: 'ISO date or date-time, kept as written' })),
    resources: Type.Record(Type.String(), Resource),
  },
  { additionalProperties: true, title: 'Integration' },
);
/** An integration; fields beyond the known ones are kept as they were stored or sent. */
export type Integration = Static<typeof Integration> & { [field: string]: unknown };

/** Fields of an integration that its provider sets and a client cannot change. */
export const INTEGRATION_FIXED_FIELDS = ['uuid', 'provider', 'resources'] as const;
export const RESOURCE_FIXED_FIELDS = ['resource_id', 'integration', 'resource_type'] as const;

export const IntegrationCreate = Type.Object(
  {
    provider: Type.Optional(Type.String({ description: 'Owning provider: "type:slug" or "slug"' })),
    uuid: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String(),
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    datatype: Type.Optional(Datatype),
    url: Type.Optional(Nullable(Type.String())),
    img_url: Type.Optional(Nullable(Type.String())),
    source: Type.Optional(Nullable(Type.String())),
    last_updated: Type.Optional(Nullable(Type.String())),
    resources: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true, title: 'IntegrationCreate' },
);
export type IntegrationCreate = Static<typeof IntegrationCreate>;

export const IntegrationUpdate = Type.Partial(IntegrationCreate, {
  additionalProperties: true,
  title: 'IntegrationUpdate',
});
export type IntegrationUpdate = Static<typeof IntegrationUpdate>;

export const FileResourceCreate = Type.Object(
  {
    resource_type: Type.Literal('file'),
    resource_id: Type.Optional(Id),
    integration: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    filepath: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    content: Type.Optional(Type.String()),
  },
  { additionalProperties: true, title: 'FileResourceCreate' },
);

export const ExampleResourceCreate = Type.Object(
  {
    resource_type: Type.Literal('example'),
    resource_id: Type.Optional(Id),
    integration: Type.Optional(Type.String()),
    query: Type.String(),
    code: Type.String(),
    notes: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: true, title: 'ExampleResourceCreate' },
);

export const ResourceCreate = Type.Union([FileResourceCreate, ExampleResourceCreate], {
  title: 'ResourceCreate',
});
export type ResourceCreate = Static<typeof ResourceCreate>;

export const FileResourceUpdate = Type.Partial(FileResourceCreate, { additionalProperties: true });
export const ExampleResourceUpdate = Type.Partial(ExampleResourceCreate, {
  additionalProperties: true,
});

/**
 * A resource update is merged over the stored resource and the result is
 * validated as a whole, so every field here is optional.
 */
export const ResourceUpdate = Type.Union([FileResourceUpdate, ExampleResourceUpdate], {
  title: 'ResourceUpdate',
});
export type ResourceUpdate = Static<typeof ResourceUpdate>;

export const IntegrationList = Type.Object(
  { integrations: Type.Record(Type.String(), Integration) },
  { title: 'IntegrationList' },
);
export type IntegrationList = Static<typeof IntegrationList>;

export const ResourceList = Type.Object(
  { resources: Type.Array(Resource) },
  { title: 'ResourceList' },
);
export type ResourceList = Static<typeof ResourceList>;

export const ProviderInfo = Type.Object(
  {
    provider_type: Type.String(),
    display_name: Type.String(),
    mutable: Type.Boolean(),
  },
  { title: 'ProviderInfo' },
);
export type ProviderInfo = Static<typeof ProviderInfo>;

export const ProviderList = Type.Object(
  { providers: Type.Record(Type.String(), ProviderInfo) },
  { title: 'ProviderList' },
);
export type ProviderList = Static<typeof ProviderList>;

export const RenderedIntegration = Type.Object(
  {
    uuid: Type.String(),
    source: Type.String({ description: 'Rendered agent documentation' }),
    examples: Type.Record(Type.String(), Type.String(), {
      description: 'Rendered code of each example, by resource id',
    }),
    problems: Type.Array(Type.String()),
  },
  { title: 'RenderedIntegration' },
);
export type RenderedIntegration = Static<typeof RenderedIntegration>;

export const SessionInfo = Type.Object(
  {
    session_id: Type.String(),
    context: Type.String(),
    created_at: Type.String(),
    last_used_at: Type.String(),
  },
  { title: 'SessionInfo' },
);
export type SessionInfo = Static<typeof SessionInfo>;

export const SessionList = Type.Object(
  { sessions: Type.Array(SessionInfo) },
  { title: 'SessionList' },
);
export type SessionList = Static<typeof SessionList>;

export const SessionCreate = Type.Object(
  { context: Type.Optional(Type.String({ description: 'Context name; default if absent' })) },
  { additionalProperties: false, title: 'SessionCreate' },
);
export type SessionCreate = Static<typeof SessionCreate>;

export const Empty = Type.Object({}, { additionalProperties: false, title: 'Empty' });

/** RFC 9457 problem details, the body of every error response. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code from the error catalogue' }),
    field: Type.Optional(Type.String({ description: 'Request field at fault, when one is' })),
    request_id: Type.Optional(Type.String()),
  },
  { title: 'Problem' },
);
export type Problem = Static<typeof Problem>;

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    stores: Type.Array(
      Type.Object({
        provider: Type.String(),
        loaded: Type.Boolean(),
        mutable: Type.Boolean({ description: 'Whether the provider accepts writes' }),
        writable: Type.Boolean({ description: 'Whether the store can be written now' }),
        detail: Type.Optional(Type.String()),
      }),
    ),
  },
  { title: 'Health' },
);
export type Health = Static<typeof Health>;
