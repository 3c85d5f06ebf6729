import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import { InvalidInputError } from './errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * Rejects keys that could reach an object prototype (`__proto__`,
 * `constructor`, `prototype`) at any depth, and nesting deeper than 32 levels.
 * JSON.parse keeps `__proto__` as an own key, so it arrives here intact.
 */
export function assertSafeKeys(value: unknown, path = '', depth = 0): void {
  if (depth > MAX_DEPTH) {
    throw new InvalidInputError(path || 'body', `nesting is deeper than ${MAX_DEPTH} levels`);
  }

  if (Array.isArray(value)) {
    value.forEach((item, index) => assertSafeKeys(item, joinPath(path, String(index)), depth + 1));
    return;
  }

  if (value === null || typeof value !== 'object') return;

  for (const key of Object.keys(value)) {
    const keyPath = joinPath(path, key);

    if (FORBIDDEN_KEYS.has(key)) {
      throw new InvalidInputError(keyPath, `key '${key}' is not allowed; remove it`);
    }

    assertSafeKeys((value as Record<string, unknown>)[key], keyPath, depth + 1);
  }
}

/** Returns `value` typed by `schema`, or throws InvalidInputError naming the first bad field. */
export function parseWithSchema<T extends TSchema>(
  schema: T,
  value: unknown,
  basePath = '',
): Static<T> {
  if (Value.Check(schema, value)) return value;

  const first = Value.Errors(schema, value).First();
  const field = joinPath(basePath, pointerToPath(first?.path ?? '')) || 'body';
  const message = first ? `${field}: ${describeError(first.message, first.value)}` : 'invalid';

  throw new InvalidInputError(field, message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function requireObject(value: unknown, field = 'body'): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new InvalidInputError(field, `${field} must be a JSON object`);
  }

  return value;
}

function describeError(message: string, actual: unknown): string {
  if (actual === undefined) return `${lowerFirst(message)} (the field is missing)`;

  return `${lowerFirst(message)} (received ${JSON.stringify(actual)?.slice(0, 60) ?? typeof actual})`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function joinPath(base: string, key: string): string {
  if (base === '') return key;
  if (key === '') return base;

  return `${base}.${key}`;
}
