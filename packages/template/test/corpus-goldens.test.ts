// Renders every integration of the real corpus and compares the output,
// byte for byte, with what Jinja2 3.1 rendered for it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { formatProblem, renderTemplate } from '@beaker-integrations/template';

const corpus = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const adhocData = join(corpus, 'biome', 'adhoc_data');
const specifications = join(adhocData, 'specifications');
const dataFolder = join(adhocData, 'data');
const goldens = join(corpus, 'biome', 'goldens');

type Resource = Record<string, unknown>;

interface Integration {
  source?: unknown;
  resources?: Record<string, Resource>;
}

function loadIntegration(folder: string): Integration {
  return parse(readFileSync(join(specifications, folder, 'api.yaml'), 'utf8')) as Integration;
}

// Each file resource is a variable named by its `name` and valued by its
// attachment. `filepath` defaults to the name in lower case with spaces as `_`.
function fileVariables(folder: string, integration: Integration): Record<string, string> {
  const variables: Record<string, string> = {};

  for (const resource of Object.values(integration.resources ?? {})) {
    const isFile = resource.resource_type === 'file' || typeof resource.filepath === 'string';

    if (!isFile || typeof resource.name !== 'string') continue;

    const filepath =
      typeof resource.filepath === 'string'
        ? resource.filepath
        : resource.name.toLowerCase().replaceAll(' ', '_');

    variables[resource.name] = readFileSync(
      join(specifications, folder, 'attachments', filepath),
      'utf8',
    );
  }

  return variables;
}

function exampleCodes(integration: Integration): Map<string, string> {
  const codes = new Map<string, string>();

  for (const [id, resource] of Object.entries(integration.resources ?? {})) {
    const isExample = resource.resource_type === 'example' || typeof resource.code === 'string';

    if (isExample && typeof resource.code === 'string') codes.set(id, resource.code);
  }

  return codes;
}

function resolveInData(path: string): string | undefined {
  const absolute = path === '' ? dataFolder : join(dataFolder, path);

  return existsSync(absolute) ? absolute : undefined;
}

function renderForGolden(template: string, variables: Record<string, string>): string {
  const result = renderTemplate(template, { variables, resolveFile: resolveInData });

  assert.notEqual(result.text, null, result.problems.map(formatProblem).join('\n'));
  return (result.text ?? '').replaceAll(dataFolder, '/DATA');
}

test('corpus goldens', async (t) => {
  if (!existsSync(specifications)) {
    t.skip(`corpus not found at ${corpus}`);
    return;
  }

  const folders = readdirSync(specifications).sort();

  assert.ok(folders.length > 0, 'the corpus has no integration folders');

  for (const folder of folders) {
    await t.test(folder, () => {
      const integration = loadIntegration(folder);
      const variables = fileVariables(folder, integration);
      const source = typeof integration.source === 'string' ? integration.source : '';
      const expectedSource = readFileSync(join(goldens, `${folder}.rendered.txt`), 'utf8');
      const expectedExamples = JSON.parse(
        readFileSync(join(goldens, `${folder}.examples.json`), 'utf8'),
      ) as Record<string, string>;
      const codes = exampleCodes(integration);

      assert.equal(renderForGolden(source, variables), expectedSource, 'rendered source');
      assert.deepEqual(
        [...codes.keys()].sort(),
        Object.keys(expectedExamples).sort(),
        'example ids',
      );

      for (const [id, code] of codes) {
        assert.equal(renderForGolden(code, variables), expectedExamples[id], `example ${id}`);
      }
    });
  }
});
