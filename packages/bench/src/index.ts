export { createBareServer, fetchResponses, type CachedResponse } from './bare-server.js';
export {
  derivedUuid,
  generateStore,
  type GeneratedIntegration,
  type GenerateOptions,
} from './generate.js';
export { median, percentile } from './stats.js';
export { evaluateTargets, TARGETS, type Measurements, type TargetRow } from './targets.js';
export { parseWrkOutput, type LoadResult } from './wrk.js';
export { measureWrites, type WriteRequest, type WriteResult } from './writes.js';
