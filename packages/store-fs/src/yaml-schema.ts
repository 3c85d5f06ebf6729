import {
  isScalar,
  parseDocument,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type ParsedNode,
  type ScalarTag,
  type SchemaOptions,
  type Tags,
} from 'yaml';

/*
 * Implicit types of plain scalars as PyYAML 6 resolves them (`yaml/resolver.py`,
 * YAML 1.1), so that a folder reads here as Beaker's `yaml.safe_load` reads it.
 * Two deliberate differences: timestamps stay the string as written, and `=`
 * (PyYAML's `value` tag, which `safe_load` rejects) reads as a string.
 */

export const PYYAML_BOOL =
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;

/** Resolves a boolean the way PyYAML's `construct_yaml_bool` does. */
export function resolveBool(source: string): boolean {
  return PYYAML_TRUE.test(source);
}

export const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

export const PYYAML_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

export const PYYAML_NULL = /^(?:~|null|Null|NULL|)$/;

export const PYYAML_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

const STR_TAG = 'tag:yaml.org,2002:str';

/** Splits a signed number into its sign and its digits without `_` separators. */
function splitSign(source: string): { sign: number; digits: string } {
  const text = source.replace(/_/g, '');
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;

  return { sign, digits };
}

/** Adds base-60 parts from the last one up, in PyYAML's order, so floats round the same way. */
function parseSexagesimal(digits: string): number {
  let total = 0;
  let base = 1;

  for (const part of digits.split(':').reverse()) {
    total += Number(part) * base;
    base *= 60;
  }

  return total;
}

/** Resolves an integer the way PyYAML's `construct_yaml_int` does. */
export function resolveInt(source: string): number {
  const { sign, digits } = splitSign(source);

  // Python integers have no negative zero, so `-00` reads as 0.
  return signedInt(sign, unsignedInt(digits));
}

function unsignedInt(digits: string): number {
  if (digits === '0') return 0;
  if (digits.startsWith('0b')) return parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return parseInt(digits.slice(2), 16);
  if (digits.startsWith('0')) return parseInt(digits, 8);
  if (digits.includes(':')) return parseSexagesimal(digits);

  // NOTE: integers beyond 2^53 lose precision here, while PyYAML keeps them exact.
  return Number(digits);
}

function signedInt(sign: number, magnitude: number): number {
  return magnitude === 0 ? 0 : sign * magnitude;
}

/** Resolves a float the way PyYAML's `construct_yaml_float` does. */
export function resolveFloat(source: string): number {
  const { sign, digits } = splitSign(source.toLowerCase());

  if (digits === '.inf') return sign * Infinity;
  if (digits === '.nan') return NaN;
  if (digits.includes(':')) return sign * parseSexagesimal(digits);

  return sign * Number(digits);
}

const isNumber = (value: unknown): boolean => typeof value === 'number';

const boolTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: PYYAML_BOOL,
  identify: (value) => typeof value === 'boolean',
  resolve: resolveBool,
};

const intTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: PYYAML_INT,
  identify: isNumber,
  resolve: resolveInt,
};

const floatTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: PYYAML_FLOAT,
  identify: isNumber,
  resolve: resolveFloat,
};

/** A date or date-time kept as the text written in the file. */
const timestampAsTextTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: PYYAML_TIMESTAMP,
  identify: () => false,
  resolve: (source) => source,
};

/**
 * Keeps the schema's map, seq, str and null tags and replaces every other
 * type. `!!binary`, `!!set`, `!!omap` and `!!pairs` are left out on purpose:
 * their values have no JSON form, so such nodes read as plain strings and
 * collections (with a parser warning).
 */
function pyYamlTags(tags: Tags): Tags {
  const kept = tags.filter(
    (tag) =>
      typeof tag !== 'string' &&
      (tag.collection !== undefined || tag.tag === STR_TAG || tag.tag === 'tag:yaml.org,2002:null'),
  );

  return [...kept, boolTag, intTag, floatTag, timestampAsTextTag];
}

export interface ParsedYaml {
  document: Document.Parsed;
  /** Keys that appear twice in one mapping, in the order found. */
  duplicateKeys: string[];
}

/** Parses one YAML document with PyYAML's YAML 1.1 types, allowing and recording duplicate keys. */
export function parseYaml(text: string): ParsedYaml {
  const duplicateKeys: string[] = [];

  const options: ParseOptions & DocumentOptions & SchemaOptions = {
    version: '1.1',
    merge: true,
    customTags: pyYamlTags,
    resolveKnownTags: false,
    logLevel: 'silent',
    prettyErrors: true,
    // The comparison runs for every earlier key of the mapping, so a mapping
    // of n keys costs n²/2 calls. Resources maps have tens to hundreds of keys.
    uniqueKeys: (a, b) => {
      const keyA = scalarKeyText(a);

      if (keyA !== undefined && keyA === scalarKeyText(b)) duplicateKeys.push(keyA);

      return false;
    },
  };

  const document = parseDocument(text, options);

  return { document, duplicateKeys };
}

function scalarKeyText(node: ParsedNode): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}
