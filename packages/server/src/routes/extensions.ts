import {
  Health,
  Id,
  ProviderList,
  RenderedIntegration,
  SessionCreate,
  SessionInfo,
  SessionList,
  requireObject,
  parseWithSchema,
} from '@beaker-integrations/model';
import { callInContext, type Session } from '@beaker-integrations/core';
import type { FastifyRequest } from 'fastify';

import type { RouteDeps } from '../deps.js';
import { pathId, sendTagged } from '../http-util.js';
import type { RouteSpec } from '../route.js';

/** Routes beyond Beaker's seed API, under prefixes that cannot collide with it. */
export function extensionRoutes(deps: RouteDeps): RouteSpec[] {
  const session = (request: FastifyRequest): Session =>
    deps.sessions.get(pathId(request, 'session_id'));

  return [
    {
      method: 'GET',
      url: '/beaker/providers/:session_id',
      operationId: 'listProviders',
      summary: "List the session's providers by slug",
      tags: ['providers'],
      params: { session_id: Id },
      response: ProviderList,
      async handler(request) {
        const context = session(request).context;
        const providers = await callInContext(context, {
          target: 'context',
          function: 'list_providers',
        });

        return { providers };
      },
    },
    {
      method: 'GET',
      url: '/beaker/rendered/:session_id/:integration_id',
      operationId: 'renderIntegration',
      summary:
        "The agent's view of one integration: rendered source and examples, and template problems",
      tags: ['integrations'],
      params: { session_id: Id, integration_id: Id },
      response: RenderedIntegration,
      async handler(request, reply) {
        const context = session(request).context;
        const id = pathId(request, 'integration_id');
        const rendered = await callInContext(
          context,
          { target: 'context', function: 'render_integration', args: [id] },
          { timeoutMs: deps.callTimeoutMs },
        );

        return sendTagged(request, reply, rendered);
      },
    },
    {
      method: 'GET',
      url: '/beaker/sessions',
      operationId: 'listSessions',
      summary: 'List live sessions',
      tags: ['sessions'],
      response: SessionList,
      async handler() {
        return { sessions: deps.sessions.list() };
      },
    },
    {
      method: 'PUT',
      url: '/beaker/sessions/:session_id',
      operationId: 'createSession',
      summary: 'Create a session on a named context (default if absent), or rebind an existing one',
      tags: ['sessions'],
      params: { session_id: Id },
      body: SessionCreate,
      response: SessionInfo,
      async handler(request) {
        const id = pathId(request, 'session_id');
        // An empty body means the default context; anything else must be an object.
        const payload = request.body === undefined ? {} : requireObject(request.body);
        const body = parseWithSchema(SessionCreate, payload);
        const created = deps.sessions.create(id, body.context);

        return {
          session_id: created.id,
          context: created.context.name,
          created_at: new Date(created.createdAt).toISOString(),
          last_used_at: new Date(created.lastUsedAt).toISOString(),
        };
      },
    },
    {
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      summary: 'Health: 200 when every store is loaded and every mutable one writable, else 503',
      tags: ['operations'],
      response: Health,
      otherStatuses: { 503: 'A store is not writable' },
      async handler(request, reply) {
        const stores = await Promise.all(
          deps.storeProviders.map(async (provider) => {
            const health = await provider.health();

            // /healthz needs no token, so the folder named in the detail
            // goes to the log only.
            if (health.detail !== undefined) {
              request.log.warn(
                { provider: provider.id, detail: health.detail },
                'store not writable',
              );
            }

            const detail =
              health.detail === undefined
                ? {}
                : { detail: 'the store cannot be written; the server log names the folder' };

            return {
              provider: provider.id,
              loaded: true,
              mutable: provider.mutable,
              writable: health.writable,
              ...detail,
            };
          }),
        );
        // A read-only provider is healthy on a store that cannot be written.
        const ok = stores.every((store) => store.loaded && (store.writable || !store.mutable));

        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', stores });
      },
    },
  ];
}
