// The filters and tests the renderer supports: cheap operations on text
// that cannot reach anything outside the template and its variables.
import { unsupported } from './problem.js';
import { strip, stripCharacters } from './python-text.js';
import { UndefinedValue, describeValueType, isTruthy, type Value } from './values.js';

/** Converts a value to output text, reporting an undefined value that gets printed. */
export type TextConverter = (value: Value) => string;

export interface FilterDefinition {
  minArgs: number;
  maxArgs: number;
  apply(input: Value, args: Value[], toText: TextConverter, line: number): Value;
}

// `default(value='', boolean=false)`: the fallback replaces an undefined
// input, and also any false input when `boolean` is true.
const defaultFilter: FilterDefinition = {
  minArgs: 0,
  maxArgs: 2,
  apply(input, args) {
    const [fallback = '', boolean = false] = args;

    if (input instanceof UndefinedValue || (isTruthy(boolean) && !isTruthy(input))) return fallback;

    return input;
  },
};

const lengthFilter: FilterDefinition = {
  minArgs: 0,
  maxArgs: 0,
  apply(input, _args, _toText, line) {
    if (input instanceof UndefinedValue) return 0n;
    if (typeof input !== 'string') {
      throw unsupported(line, `filter 'length' expects text, got ${describeValueType(input)}`);
    }

    let count = 0n;

    // Python counts code points, not UTF-16 units.
    for (const _character of input) count += 1n;

    return count;
  },
};

/** Supported filters by name, including Jinja's aliases `d` and `count`. */
export const FILTERS: ReadonlyMap<string, FilterDefinition> = new Map<string, FilterDefinition>([
  ['default', defaultFilter],
  ['d', defaultFilter],
  ['length', lengthFilter],
  ['count', lengthFilter],
  [
    'upper',
    { minArgs: 0, maxArgs: 0, apply: (input, _args, toText) => toText(input).toUpperCase() },
  ],
  [
    'lower',
    { minArgs: 0, maxArgs: 0, apply: (input, _args, toText) => toText(input).toLowerCase() },
  ],
  [
    'trim',
    {
      minArgs: 0,
      maxArgs: 1,
      apply(input, args, toText, line) {
        const characters = args[0] ?? null;

        if (characters === null) return strip(toText(input));
        if (typeof characters !== 'string') {
          throw unsupported(
            line,
            `filter 'trim' expects text or none as its argument, got ${describeValueType(characters)}`,
          );
        }

        return stripCharacters(toText(input), characters);
      },
    },
  ],
]);

/** Supported tests by name (`x is defined`, `x is undefined`). */
export const TESTS: ReadonlyMap<string, (value: Value) => boolean> = new Map([
  ['defined', (value: Value) => !(value instanceof UndefinedValue)],
  ['undefined', (value: Value) => value instanceof UndefinedValue],
]);
