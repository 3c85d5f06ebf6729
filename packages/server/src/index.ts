export { buildServer, allRoutes, DEFAULT_BODY_LIMIT, DEFAULT_CALL_TIMEOUT_MS } from './app.js';
export type { ServerOptions } from './app.js';
export * from './config.js';
export { createService, type Service, type ServiceOptions } from './service.js';
export { buildOpenApi, OPENAPI_PATH } from './openapi.js';
export { STATUS_BY_CODE, toProblem } from './problem.js';
export { validateRoots, type ValidationReport } from './validate.js';
