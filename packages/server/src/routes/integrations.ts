import { Type } from '@sinclair/typebox';
import {
  Empty,
  Id,
  Integration,
  IntegrationCreate,
  IntegrationList,
  IntegrationUpdate,
  InvalidInputError,
  NotFoundError,
  ReadOnlyError,
  RESOURCE_TYPES,
  RESOURCE_TYPE_PATTERN,
  Resource,
  ResourceCreate,
  ResourceList,
  ResourceUpdate,
  isPlainObject,
  type ResourceType,
} from '@beaker-integrations/model';
import {
  callInContext,
  isMutable,
  withTimeout,
  type Context,
  type ContextCall,
} from '@beaker-integrations/core';
import type { FastifyRequest } from 'fastify';

import type { RouteDeps } from '../deps.js';
import {
  ifMatch,
  notModified,
  pathId,
  pathResourceType,
  sendJson,
  sendTagged,
} from '../http-util.js';
import type { RouteSpec } from '../route.js';

const PREFIX = '/beaker/integrations';
const TAGS = ['integrations'];

const sessionParam = { session_id: Id };
const integrationParams = { ...sessionParam, integration_id: Id };
const typeParam = {
  resource_type: Type.String({
    pattern: RESOURCE_TYPE_PATTERN,
    description:
      '`all`, a resource type, or on POST and DELETE a placeholder such as `new` or `any`',
  }),
};
const resourceParams = { ...integrationParams, ...typeParam, resource_id: Id };
const ifMatchHeader = {
  'if-match': { description: 'ETag last read; a write that no longer matches fails with 412' },
};

/** Builds the seed routes of Beaker's integrations API, plus DELETE of an integration. */
export function integrationRoutes(deps: RouteDeps): RouteSpec[] {
  const call = (request: FastifyRequest, target: string, fn: string, args: unknown[]) => {
    const context = deps.sessions.get(pathId(request, 'session_id')).context;
    const request_: ContextCall = { target, function: fn, args };
    const options = { timeoutMs: deps.callTimeoutMs, ifMatch: ifMatch(request) };

    return callInContext(context, request_, options);
  };

  return [
    {
      method: 'GET',
      url: `${PREFIX}/:session_id`,
      operationId: 'listIntegrations',
      summary: 'List every integration of the session, keyed by uuid',
      tags: TAGS,
      params: sessionParam,
      query: {
        view: Type.Optional(
          Type.Union([Type.Literal('full'), Type.Literal('summary')], {
            description: '`summary` leaves out file content and example code',
          }),
        ),
      },
      headers: {
        'if-none-match': { description: 'ETag of a listing already held; 304 if unchanged' },
      },
      response: IntegrationList,
      otherStatuses: { 304: 'Not modified' },
      async handler(request, reply) {
        const context = deps.sessions.get(pathId(request, 'session_id')).context;
        const listing = await withTimeout(
          context.listing(listingView(request)),
          deps.callTimeoutMs,
          'context list_integrations',
        );

        if (notModified(request, listing.etag))
          return reply.header('etag', listing.etag).code(304).send();

        return sendJson(reply, listing.body, listing.etag);
      },
    },
    {
      method: 'GET',
      url: `${PREFIX}/:session_id/:integration_id`,
      operationId: 'getIntegration',
      summary: 'Get one integration',
      tags: TAGS,
      params: integrationParams,
      response: Integration,
      otherStatuses: { 304: 'Not modified' },
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const integration = await call(request, `integration:${id}`, 'get_integration', [id]);

        return sendTagged(request, reply, integration);
      },
    },
    {
      method: 'GET',
      url: `${PREFIX}/:session_id/:integration_id/:resource_type`,
      operationId: 'listResources',
      summary: 'List the resources of one integration; `all` lists every type',
      tags: TAGS,
      params: { ...integrationParams, ...typeParam },
      response: ResourceList,
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const type = pathResourceType(request);
        const args = type === 'all' ? [id] : [id, type];
        const resources = await call(request, `integration:${id}`, 'list_resources', args);

        return sendTagged(request, reply, { resources });
      },
    },
    {
      method: 'GET',
      url: `${PREFIX}/:session_id/:integration_id/:resource_type/:resource_id`,
      operationId: 'getResource',
      summary: 'Get one resource',
      tags: TAGS,
      params: resourceParams,
      response: Resource,
      otherStatuses: { 304: 'Not modified' },
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const resourceId = pathId(request, 'resource_id');
        const resource = (await call(request, `integration:${id}`, 'get_resource', [
          id,
          resourceId,
        ])) as Resource;
        const type = knownType(pathResourceType(request));

        if (type !== undefined && type !== resource.resource_type) {
          throw new NotFoundError(
            'resource',
            resourceId,
            `resource '${resourceId}' is not of type '${type}'`,
          );
        }

        return sendTagged(request, reply, resource);
      },
    },
    {
      method: 'POST',
      url: `${PREFIX}/:session_id`,
      operationId: 'addIntegration',
      summary: "Create an integration on the provider named by the body's `provider`",
      tags: TAGS,
      params: sessionParam,
      body: IntegrationCreate,
      response: Integration,
      async handler(request, reply) {
        const context = deps.sessions.get(pathId(request, 'session_id')).context;
        const body = requireBody(request);
        const provider = targetProvider(context, body.provider);
        const created = await call(request, `provider:${provider}`, 'add_integration', [body]);

        return sendTagged(request, reply, created);
      },
    },
    {
      method: 'POST',
      url: `${PREFIX}/:session_id/:integration_id`,
      operationId: 'updateIntegration',
      summary:
        'Update an integration; `uuid`, `provider` and `resources` in the body are not changed',
      tags: TAGS,
      params: integrationParams,
      headers: ifMatchHeader,
      body: IntegrationUpdate,
      response: Integration,
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const updated = await call(request, `integration:${id}`, 'update_integration', [
          id,
          requireBody(request),
        ]);

        return sendTagged(request, reply, updated);
      },
    },
    {
      method: 'DELETE',
      url: `${PREFIX}/:session_id/:integration_id`,
      operationId: 'removeIntegration',
      summary: 'Remove an integration (the filesystem store moves its folder to trash)',
      tags: TAGS,
      params: integrationParams,
      headers: ifMatchHeader,
      response: Empty,
      async handler(request) {
        const id = pathId(request, 'integration_id');

        return call(request, `integration:${id}`, 'remove_integration', [id]);
      },
    },
    {
      method: 'POST',
      url: `${PREFIX}/:session_id/:integration_id/:resource_type`,
      operationId: 'addResource',
      summary:
        "Add a resource; a path type that is not a known type (such as `new`) defers to the body's `resource_type`",
      tags: TAGS,
      params: { ...integrationParams, ...typeParam },
      headers: ifMatchHeader,
      body: ResourceCreate,
      response: Resource,
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const body = withPathType(requireBody(request), pathResourceType(request));
        const created = await call(request, `integration:${id}`, 'add_resource', [id, body]);

        return sendTagged(request, reply, created);
      },
    },
    {
      method: 'POST',
      url: `${PREFIX}/:session_id/:integration_id/:resource_type/:resource_id`,
      operationId: 'updateResource',
      summary:
        'Update a resource; the path names the resource, and a different body `resource_id` is rejected',
      tags: TAGS,
      params: resourceParams,
      headers: ifMatchHeader,
      body: ResourceUpdate,
      response: Resource,
      async handler(request, reply) {
        const id = pathId(request, 'integration_id');
        const resourceId = pathId(request, 'resource_id');
        const body = withPathType(requireBody(request), pathResourceType(request));
        const updated = await call(request, `integration:${id}`, 'update_resource', [
          id,
          resourceId,
          body,
        ]);

        return sendTagged(request, reply, updated);
      },
    },
    {
      method: 'DELETE',
      url: `${PREFIX}/:session_id/:integration_id/:resource_type/:resource_id`,
      operationId: 'removeResource',
      summary: 'Remove a resource; the path type may be a placeholder such as `any`',
      tags: TAGS,
      params: resourceParams,
      headers: ifMatchHeader,
      response: Empty,
      async handler(request) {
        const id = pathId(request, 'integration_id');
        const resourceId = pathId(request, 'resource_id');
        const type = knownType(pathResourceType(request));

        if (type !== undefined) {
          const stored = (await call(request, `integration:${id}`, 'get_resource', [
            id,
            resourceId,
          ])) as Resource;

          if (stored.resource_type !== type) {
            throw new InvalidInputError(
              'resource_type',
              `resource '${resourceId}' is of type '${stored.resource_type}', not '${type}'; use its type or a placeholder such as 'any'`,
            );
          }
        }

        return call(request, `integration:${id}`, 'remove_resource', [id, resourceId]);
      },
    },
  ];
}

function listingView(request: FastifyRequest): 'full' | 'summary' {
  const view = (request.query as Record<string, unknown>).view;

  if (view === undefined || view === 'full') return 'full';
  if (view === 'summary') return 'summary';

  throw new InvalidInputError(
    'view',
    `view must be 'full' or 'summary' (received ${JSON.stringify(view)})`,
  );
}

function requireBody(request: FastifyRequest): Record<string, unknown> {
  if (!isPlainObject(request.body)) {
    const received =
      request.body === undefined
        ? 'an empty body'
        : `JSON ${Array.isArray(request.body) ? 'array' : typeof request.body}`;

    throw new InvalidInputError('body', `the body must be a JSON object (received ${received})`);
  }

  return request.body;
}

function knownType(pathType: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type === pathType);
}

/**
 * Beaker's frontend posts to `…/new` and `…/new/{rid}` with the real type in
 * the body, so a path type counts only when it names a known type. Such a type
 * fills a missing body type, and must agree with a body type that is present.
 */
function withPathType(body: Record<string, unknown>, pathType: string): Record<string, unknown> {
  const type = knownType(pathType);

  if (type === undefined) return body;
  if (body.resource_type === undefined) return { ...body, resource_type: type };

  if (body.resource_type !== type) {
    throw new InvalidInputError(
      'resource_type',
      `the path names type '${type}' but the body's resource_type is ${JSON.stringify(body.resource_type)}; make them agree or use a placeholder such as 'new' in the path`,
    );
  }

  return body;
}

/** Resolves the body's `provider`; without one, the context's only mutable provider. */
function targetProvider(context: Context, provider: unknown): string {
  if (typeof provider === 'string' && provider !== '')
    return context.resolveProvider(provider).slug;

  if (provider !== undefined) {
    throw new InvalidInputError(
      'provider',
      'provider must be a string such as "adhoc:specialist_agents"',
    );
  }

  const mutable = context.providerList.filter(isMutable);

  if (mutable.length === 1) return mutable[0]!.slug;

  if (mutable.length === 0) {
    const message = `every provider of context '${context.name}' is read-only; no integration can be created in this session`;

    throw new ReadOnlyError(context.name, message);
  }

  const choices = mutable.map((item) => `${item.providerType}:${item.slug}`).join(', ');

  throw new InvalidInputError('provider', `provider is required; name one of: ${choices}`);
}
