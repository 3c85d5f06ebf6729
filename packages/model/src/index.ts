export * from './schemas.js';
export * from './errors.js';
export * from './slug.js';
export * from './validation.js';
export * from './id-record.js';
