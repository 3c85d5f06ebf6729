// Values an expression can produce, with Python's rules for printing,
// truth and equality, because Jinja evaluates templates as Python.

/** Value of a name that is not a variable, as Jinja's default `Undefined`. */
export class UndefinedValue {
  constructor(
    readonly name: string,
    readonly line: number,
  ) {}
}

/** Text, a boolean, an integer (Python ints are unbounded, hence bigint), none, or undefined. */
export type Value = string | boolean | bigint | null | UndefinedValue;

/** Converts a value to text as Python's `str()` does. Undefined becomes empty text. */
export function valueToText(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (value === null) return 'None';

  return '';
}

/** Applies Python truth: empty text, zero, False, none and undefined are false. */
export function isTruthy(value: Value): boolean {
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value !== 0n;

  return false;
}

/**
 * Compares two values as Python's `==` does in Jinja: True equals 1, text
 * equals only text, and an undefined value equals only another undefined one.
 */
export function valuesEqual(left: Value, right: Value): boolean {
  if (left instanceof UndefinedValue || right instanceof UndefinedValue) {
    return left instanceof UndefinedValue && right instanceof UndefinedValue;
  }

  if (typeof left === 'string' || typeof right === 'string') return left === right;
  if (left === null || right === null) return left === right;

  return toInteger(left) === toInteger(right);
}

function toInteger(value: boolean | bigint): bigint {
  if (typeof value === 'bigint') return value;

  return value ? 1n : 0n;
}

/** Names the type of a value for error messages. */
export function describeValueType(value: Value): string {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'bigint') return 'an integer';
  if (value === null) return 'none';

  return 'an undefined value';
}
