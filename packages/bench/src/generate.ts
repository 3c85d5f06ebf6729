import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Folder name and ids of one generated integration, for callers that address it. */
export interface GeneratedIntegration {
  folder: string;
  uuid: string;
  fileResourceId: string;
  exampleResourceIds: string[];
}

export interface GenerateOptions {
  /** Examples per integration. Default: 2. */
  examples?: number;
  /** Distinguishes stores generated with the same count, so their uuids differ. */
  seed?: string;
}

const DATATYPES = ['api', 'dataset', 'database'] as const;

const ATTACHMENT_NAME = 'documentation.md';

/**
 * Writes `count` integration folders under `<root>/specifications/`. Each
 * has an `api.yaml` of about 2 KB and an attachment of about 1 KB, the shape
 * of the small folders of Beaker's `adhoc_data`: a source template that uses
 * its file resource, one file resource and two examples by default. Uuids are
 * derived from the seed and index, so a store can be regenerated identically.
 * 10,000 folders take about a second.
 */
export function generateStore(
  root: string,
  count: number,
  options: GenerateOptions = {},
): GeneratedIntegration[] {
  const specifications = path.join(root, 'specifications');
  const integrations: GeneratedIntegration[] = [];

  mkdirSync(specifications, { recursive: true });

  for (let index = 0; index < count; index++) {
    integrations.push(writeIntegration(specifications, index, options));
  }

  return integrations;
}

function writeIntegration(
  specifications: string,
  index: number,
  options: GenerateOptions,
): GeneratedIntegration {
  const seed = options.seed ?? 'bench';
  const folder = `generated_${String(index).padStart(6, '0')}`;
  const uuid = derivedUuid(`${seed} integration ${index}`);
  const fileResourceId = derivedUuid(`${seed} file ${index}`);
  const exampleResourceIds = Array.from({ length: options.examples ?? 2 }, (_, example) =>
    derivedUuid(`${seed} example ${index} ${example}`),
  );
  const generated = { folder, uuid, fileResourceId, exampleResourceIds };
  const folderPath = path.join(specifications, folder);

  mkdirSync(path.join(folderPath, 'attachments'), { recursive: true });
  writeFileSync(path.join(folderPath, 'api.yaml'), apiYaml(generated, index));
  writeFileSync(path.join(folderPath, 'attachments', ATTACHMENT_NAME), attachment(index));

  return generated;
}

/** A UUID in the version 4 layout, derived from `text` so that runs are reproducible. */
export function derivedUuid(text: string): string {
  const bytes = createHash('sha256').update(text).digest();

  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;

  const hex = bytes.subarray(0, 16).toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function apiYaml(generated: GeneratedIntegration, index: number): string {
  const { uuid, fileResourceId, exampleResourceIds } = generated;
  const name = `Generated Service ${index}`;
  const lines = [
    `datatype: ${DATATYPES[index % DATATYPES.length]}`,
    'description: |',
    `  Generated integration number ${index} for the benchmark. It stands for a small`,
    '  public web API that returns JSON records filtered by region and year.',
    'img_url: null',
    `last_updated: '2025-0${(index % 9) + 1}-15'`,
    `name: ${name}`,
    'provider: adhoc:specialist_agents',
    'resources:',
    `  ${fileResourceId}:`,
    `    filepath: ${ATTACHMENT_NAME}`,
    `    integration: ${uuid}`,
    '    name: documentation',
    `    resource_id: ${fileResourceId}`,
    '    resource_type: file',
    ...exampleResourceIds.flatMap((id, example) => exampleLines(uuid, id, index, example)),
    `slug: generated_service_${index}`,
    'source: |',
    `  Use the Generated Service ${index} API to fetch records by region and year.`,
    '  Authenticate with the API_KEY environment variable.',
    '',
    '  {{documentation}}',
    `url: https://api.example.org/generated/${index}`,
    `uuid: ${uuid}`,
  ];

  return `${lines.join('\n')}\n`;
}

function exampleLines(uuid: string, id: string, index: number, example: number): string[] {
  return [
    `  ${id}:`,
    '    code: |-',
    '      import os',
    '      import requests',
    '',
    `      response = requests.get("https://api.example.org/generated/${index}/records",`,
    `                              params={"region": "north", "year": ${2000 + example}},`,
    '                              headers={"Authorization": os.environ["API_KEY"]})',
    '      records = response.json()["records"]',
    '      print(len(records))',
    `    integration: ${uuid}`,
    '    notes: null',
    `    query: How many records does region north have in ${2000 + example}?`,
    `    resource_id: ${id}`,
    '    resource_type: example',
  ];
}

function attachment(index: number): string {
  const rows = Array.from(
    { length: 12 },
    (_, row) => `| \`field_${row}\` | string | value ${row} of record ${index} |`,
  );

  return [
    `# Generated Service ${index}`,
    '',
    'Base URL: `https://api.example.org/generated`. Every request needs an API key',
    'in the `Authorization` header. Responses are JSON objects with a `records` list.',
    '',
    '## Record fields',
    '',
    '| field | type | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
