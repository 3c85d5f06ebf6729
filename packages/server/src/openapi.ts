import type { TSchema } from '@sinclair/typebox';
import { Problem } from '@beaker-integrations/model';

import { STATUS_BY_CODE } from './problem.js';
import type { RouteSpec } from './route.js';

export const OPENAPI_PATH = '/beaker/openapi.json';

/** Builds the OpenAPI 3.1 document of `routes` from their TypeBox schemas. */
export function buildOpenApi(
  routes: readonly RouteSpec[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};

  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');

    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }

  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openApi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['operations'],
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Beaker integrations service',
      version,
      description:
        "Integrations for agent sessions, wire-compatible with Beaker's `/beaker/integrations` API. Errors are RFC 9457 problem details.",
    },
    paths,
    components: { schemas: { Problem: plain(Problem) } },
  };
}

function operation(route: RouteSpec): Record<string, unknown> {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: plain(schema),
    })),
    ...Object.entries(route.query ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: plain(schema),
    })),
    ...Object.entries(route.headers ?? {}).map(([name, header]) => ({
      name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    })),
  ];

  const responses: Record<string, unknown> = {
    200: { description: 'OK', content: { 'application/json': { schema: plain(route.response) } } },
  };

  for (const [status, description] of Object.entries(route.otherStatuses ?? {})) {
    responses[status] = { description };
  }

  for (const status of new Set([...Object.values(STATUS_BY_CODE), 413, 500])) {
    responses[String(status)] ??= {
      description: 'Problem details',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }

  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    parameters,
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: plain(route.body) } },
          },
        }),
    responses,
  };
}

/** JSON Schema without TypeBox's symbol keys. */
function plain(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}
