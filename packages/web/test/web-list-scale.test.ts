/**
 * The list page with 1,000 integrations: it renders every row, and search
 * and filters narrow it correctly. Times are printed, not asserted.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Browser } from 'playwright-core';
import { stringify } from 'yaml';

import { tempDir } from '../../server/test/helpers.js';
import {
  CHROMIUM_MISSING,
  launchBrowser,
  openPage,
  startUiServiceOn,
  type UiService,
} from './browser.js';

const COUNT = 1000;
const DATATYPES = ['api', 'database', 'dataset'] as const;

/** Writes COUNT integration folders; every 7th has a file and every 5th an example. */
async function writeRoot(): Promise<string> {
  const root = join(await tempDir('beaker-web-scale-'), 'root');

  for (let index = 0; index < COUNT; index += 1) {
    const number = String(index).padStart(4, '0');
    const uuid = randomUUID();
    const folder = join(root, 'specifications', `generated_${number}`);
    const resources: Record<string, Record<string, unknown>> = {};

    await mkdir(join(folder, 'attachments'), { recursive: true });

    if (index % 7 === 0) {
      const id = randomUUID();

      resources[id] = {
        resource_type: 'file',
        resource_id: id,
        integration: uuid,
        name: 'notes',
        filepath: 'notes.md',
      };
      await writeFile(join(folder, 'attachments', 'notes.md'), `Notes of ${number}\n`);
    }

    if (index % 5 === 0) {
      const id = randomUUID();

      resources[id] = {
        resource_type: 'example',
        resource_id: id,
        integration: uuid,
        query: `How do I query source ${number}?`,
        code: `print(${index})`,
        notes: null,
      };
    }

    const document = {
      uuid,
      name: `Generated Source ${number}`,
      slug: `generated_${number}`,
      description: `Synthetic **integration** number ${number} about ${index % 2 === 0 ? 'rainfall' : 'population'}; marker-${number}.`,
      datatype: DATATYPES[index % 3],
      source: `Documentation of source ${number}. {{ notes }}`,
      resources,
    };

    await writeFile(join(folder, 'api.yaml'), stringify(document));
  }

  return root;
}

describe('list page at scale', { skip: CHROMIUM_MISSING }, () => {
  let service: UiService;
  let browser: Browser;

  before(async () => {
    service = await startUiServiceOn(await writeRoot());
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await service?.server.stop();
  });

  test('1,000 integrations render and filter', async () => {
    const { page, errors } = await openPage(browser);
    const started = performance.now();

    await page.goto(`${service.url}/`);
    await page.getByText('1,000 integrations', { exact: true }).waitFor();

    const loaded = performance.now();
    const rows = page.locator('.integration-row');

    assert.equal(await rows.count(), COUNT);

    const search = page.getByRole('searchbox', { name: 'Search' });
    const searchStarted = performance.now();

    await search.fill('marker-0421');
    await page.getByText('Showing 1 of 1,000 integrations').waitFor();

    const searched = performance.now();

    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getByRole('link').textContent(), 'Generated Source 0421');

    await search.fill('generated_0042');
    await page.getByText('Showing 1 of 1,000 integrations').waitFor();
    assert.equal(await rows.first().getByRole('link').textContent(), 'Generated Source 0042');

    await search.fill('RAINFALL');
    await page.getByText('Showing 500 of 1,000 integrations').waitFor();
    assert.equal(await rows.count(), 500);

    await page.getByLabel('Data type').selectOption('database');
    const rainfallDatabases = Array.from({ length: COUNT }, (_, index) => index).filter(
      (index) => index % 2 === 0 && index % 3 === 1,
    ).length;
    await page.getByText(`Showing ${rainfallDatabases} of 1,000 integrations`).waitFor();
    assert.equal(await rows.count(), rainfallDatabases);

    await search.fill('');
    await page.getByLabel('Data type').selectOption('');
    await page.getByText('1,000 integrations', { exact: true }).waitFor();
    assert.match(page.url(), /\/$/);

    const counts = await page
      .locator('.integration-row', { hasText: 'Generated Source 0035' })
      .locator('.counts')
      .textContent();
    assert.equal(counts, '1 file · 1 example');
    assert.deepEqual(errors, []);

    console.log(
      `list of ${COUNT}: first render ${Math.round(loaded - started)} ms after navigation, ` +
        `search to one row ${Math.round(searched - searchStarted)} ms (Chromium headless)`,
    );
  });
});
