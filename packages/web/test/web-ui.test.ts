/**
 * Browser tests of the web UI against the real service: the page is loaded
 * from the service at `/`, and every change is checked again after a reload
 * and in the data root on disk.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { IntegrationsClient } from '@beaker-integrations/client';
import type { Browser } from 'playwright-core';
import { parse, stringify } from 'yaml';

import { copyRoot, startServer, tempDir, type RunningServer } from '../../server/test/helpers.js';

import {
  CHROMIUM_MISSING,
  EXAMPLES_ROOT,
  ensureBuilt,
  launchBrowser,
  openPage,
  screenshot,
  startUiService,
  type UiService,
} from './browser.js';

const OPEN_METEO = '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01';

// Long enough that a reader working in chunks would split characters.
const UNICODE_TEXT = `# Ünïcödé ✓ 天气 station notes\n\n${'Grüße aus Köln ✓ 天气晴朗 😀 '.repeat(4000)}\nend ✓\n`;

describe('web UI', { skip: CHROMIUM_MISSING }, () => {
  let service: UiService;
  let browser: Browser;
  let api: IntegrationsClient;

  before(async () => {
    service = await startUiService();
    browser = await launchBrowser();
    api = new IntegrationsClient({ baseUrl: service.url, sessionId: 'web_ui' });
  });

  after(async () => {
    await browser?.close();
    await service?.server.stop();
  });

  test('screenshots of main pages', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${service.url}/`);
    await page.getByRole('link', { name: 'Open-Meteo Weather Forecast' }).waitFor();
    console.log(`saved ${await screenshot(page, 'list')}`);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}`);
    await page.getByTestId('rendered-source').waitFor();
    console.log(`saved ${await screenshot(page, 'integration')}`);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}/edit`);
    await page.locator('.cm-content').waitFor();
    await page.getByTestId('rendered-source').waitFor();
    console.log(`saved ${await screenshot(page, 'editor')}`);

    await page.setViewportSize({ width: 420, height: 860 });
    await page.goto(`${service.url}/integrations/${OPEN_METEO}`);
    await page.getByTestId('rendered-source').waitFor();
    console.log(`saved ${await screenshot(page, 'integration-narrow')}`);
    assert.ok(true);
  });

  test('curation flow persists', async () => {
    const { page, errors, dialogs } = await openPage(browser);

    await page.goto(`${service.url}/`);
    await page.getByRole('link', { name: 'New integration' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ünïcödé Weather 天气');
    await page.getByLabel('Description (markdown)').fill('Daily **weather** notes.');
    await page.getByRole('button', { name: 'Create integration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ünïcödé Weather 天气' }).waitFor();

    const uuid = page.url().split('/').pop()!;

    await page.getByLabel('Upload text files').setInputFiles({
      name: 'station_notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(UNICODE_TEXT, 'utf8'),
    });
    await page.getByText('Uploaded “station_notes.md” as {{ station_notes }}.').waitFor();

    await page.getByRole('button', { name: 'Add example' }).click();
    const exampleForm = page.getByRole('form', { name: 'New example' });
    await exampleForm.getByLabel('Query').fill('What is the weather in 北京?');
    await exampleForm.locator('.cm-content').fill('print("天气 ✓")');
    await exampleForm.getByRole('button', { name: 'Add example' }).click();
    await page.getByText('Added the example.').waitFor();
    await page.getByRole('heading', { level: 3, name: 'What is the weather in 北京?' }).waitFor();

    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit “Ünïcödé Weather 天气”' }).waitFor();
    await page.getByText('The source renders as empty text.').waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.type('Station notes follow.\n');
    await page.getByRole('button', { name: '{{ station_notes }}' }).click();
    await page.getByText('The preview shows the saved version.').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/^Saved at /).waitFor();

    const rendered = page.getByTestId('rendered-source');
    await rendered.waitFor();
    const renderedStart = await rendered.textContent();
    assert.ok(renderedStart?.startsWith('Station notes follow.\n# Ünïcödé ✓ 天气 station notes'));
    assert.ok(!renderedStart?.includes('end ✓'));

    await page.getByRole('button', { name: 'Show all' }).click();
    const renderedWhole = await rendered.textContent();
    assert.ok(renderedWhole?.endsWith('end ✓\n'));

    await page.getByRole('link', { name: 'Done' }).click();
    await page
      .getByRole('button', { name: 'Delete example: What is the weather in 北京?' })
      .click();
    await page.getByRole('dialog', { name: 'Delete example?' }).waitFor();
    await page.getByRole('button', { name: 'Delete example', exact: true }).click();
    await page.getByText('Deleted the example.').waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Ünïcödé Weather 天气' }).waitFor();
    await page.getByTestId('rendered-source').waitFor();
    assert.equal(await page.getByText('No examples yet.').count(), 1);
    assert.equal(await page.getByText('station_notes.md', { exact: true }).count(), 1);
    assert.match((await page.locator('.markdown strong').first().textContent()) ?? '', /weather/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download station_notes' }).click();
    const saved = await (await download).path();
    assert.equal(await readFile(saved, 'utf8'), UNICODE_TEXT);

    const stored = await api.getIntegration(uuid);
    const folder = join(service.root, 'specifications', stored.value.slug);
    const document = parse(await readFile(join(folder, 'api.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const attachment = await readFile(join(folder, 'attachments', 'station_notes.md'));
    const resources = Object.values(document.resources as Record<string, Record<string, unknown>>);

    assert.equal(document.name, 'Ünïcödé Weather 天气');
    assert.equal(document.source, 'Station notes follow.\n{{ station_notes }}');
    assert.equal(resources.length, 1);
    assert.equal(resources[0]?.name, 'station_notes');
    assert.ok(attachment.equals(Buffer.from(UNICODE_TEXT, 'utf8')));
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
  });

  test('keyboard reaches list and page', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${service.url}/`);
    await page.getByText('integrations', { exact: false }).first().waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');

    await page.getByRole('searchbox', { name: 'Search' }).focus();
    await page.keyboard.type('iris');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      'Iris Flower Measurements',
    );

    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Iris Flower Measurements' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  });

  test('session query kept on links', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${service.url}/?session=curators_2`);
    await page.getByText('Session curators_2').waitFor();
    await page.getByRole('link', { name: 'World Bank Indicators' }).click();
    await page.getByRole('heading', { level: 1, name: 'World Bank Indicators' }).waitFor();

    assert.match(page.url(), /\/integrations\/[\w-]+\?session=curators_2$/);
    const sessions = await api.listSessions();
    assert.ok(sessions.some((session) => session.session_id === 'curators_2'));
  });

  test('stale save shows conflict', async () => {
    const { page, errors } = await openPage(browser);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}/edit`);
    await page.getByLabel('Description (markdown)').fill('My edit in the page.');
    await api.updateIntegration(OPEN_METEO, { description: 'Changed through the API.' });
    await page.getByRole('button', { name: 'Save changes' }).click();

    const conflict = page
      .getByRole('alert')
      .filter({ hasText: 'Someone else changed this integration' });
    await conflict.waitFor();
    assert.equal(
      (await api.getIntegration(OPEN_METEO)).value.description,
      'Changed through the API.',
    );

    await conflict.getByRole('button', { name: 'Reload latest version' }).click();
    await page.getByRole('button', { name: 'Reload and discard my changes' }).click();
    await page.getByText('All changes saved').waitFor();
    assert.equal(
      await page.getByLabel('Description (markdown)').inputValue(),
      'Changed through the API.',
    );
    assert.equal(await conflict.count(), 0);
    assert.deepEqual(errors, []);
  });

  test('stored markup runs no script', async () => {
    const { page, errors, dialogs } = await openPage(browser);
    const markup =
      'Before <img src=x onerror="window.__xss=1;alert(1)"> and **after**.\n\n' +
      '<script>window.__xss=2;alert(2)</script>\n\n' +
      '[link](javascript:window.__xss=3)';
    const created = await api.addIntegration({
      name: 'Markup probe',
      description: markup,
      source: '',
    });
    await api.addResource(created.value.uuid, {
      resource_type: 'example',
      query: 'q',
      code: 'print(1)',
      notes: '<img src=y onerror="window.__xss=4">',
    });

    await page.goto(`${service.url}/?q=markup`);
    await page.getByRole('link', { name: 'Markup probe' }).click();
    await page.locator('.markdown strong', { hasText: 'after' }).waitFor();

    assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
    assert.equal(await page.locator('main [onerror]').count(), 0);
    assert.equal(await page.locator('main script').count(), 0);
    assert.equal(await page.locator('main a[href^="javascript:"]').count(), 0);
    assert.deepEqual(dialogs, []);
    // DOMPurify parses the markup in an inert document, and Chromium reports a
    // CSP violation for each inline handler it finds there although none runs.
    assert.deepEqual(
      errors.filter((error) => !error.includes('Content Security Policy')),
      [],
    );
  });

  test('duplicate name explains conflict', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${service.url}/new`);
    await page.getByLabel('Name', { exact: true }).fill('Open Meteo');
    await page.getByLabel('Name', { exact: true }).press('Enter');

    const message = page.getByRole('alert');
    await message.waitFor();
    assert.match(
      (await message.textContent()) ?? '',
      /Another integration already uses that name \(slug “open_meteo”\)/,
    );
  });

  test('invalid file path marks field', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}`);
    await page.getByRole('button', { name: 'Edit forecast_parameters' }).click();
    const path = page.getByLabel('File path in attachments/');
    await path.fill('../outside.md');
    await page.getByRole('button', { name: 'Save file' }).click();

    await page.getByRole('alert').filter({ hasText: 'rejected a value in “filepath”' }).waitFor();
    assert.equal(await path.getAttribute('aria-invalid'), 'true');
  });

  test('back button asks first', async () => {
    const { page, dialogs } = await openPage(browser);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}`);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Changed, then back');
    await page.goBack();
    await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();

    assert.match(page.url(), /\/edit$/);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Changed, then back');

    await page.goBack();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('button', { name: 'Refresh preview' }).waitFor();
    assert.match(page.url(), new RegExp(`/integrations/${OPEN_METEO}$`));
    assert.equal(await page.getByLabel('Name', { exact: true }).count(), 0);
    assert.deepEqual(dialogs, []);
  });

  test('leaving unsaved edit asks first', async () => {
    const { page, dialogs } = await openPage(browser);

    await page.goto(`${service.url}/integrations/${OPEN_METEO}/edit`);
    await page.getByLabel('Name', { exact: true }).fill('Renamed but not saved');
    await page.getByRole('link', { name: 'All integrations' }).click();
    await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();

    assert.match(page.url(), /\/edit$/);
    assert.equal(
      await page.getByLabel('Name', { exact: true }).inputValue(),
      'Renamed but not saved',
    );

    await page.getByRole('link', { name: 'All integrations' }).click();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    assert.deepEqual(dialogs, []);
  });
});

describe('web UI with a read-only provider', { skip: CHROMIUM_MISSING }, () => {
  const PUBLISHED = '0b5c1f9e-8d2a-4c47-b1e3-5a9d7f2c6e10';
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const base = await tempDir('beaker-web-readonly-');
    const published = join(base, 'published');
    const folder = join(published, 'specifications', 'census');

    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'api.yaml'),
      stringify({
        uuid: PUBLISHED,
        name: 'Census Tables',
        description: 'Published census tables.',
        source: 'Census documentation.',
      }),
    );

    const config = join(base, 'service.yaml');
    const drafts = await copyRoot(EXAMPLES_ROOT);

    await writeFile(
      config,
      stringify({
        contexts: {
          default: {
            providers: [
              { type: 'adhoc', slug: 'drafts', display_name: 'Team drafts', roots: [drafts] },
              {
                type: 'adhoc',
                slug: 'published',
                display_name: 'Published catalogue',
                roots: [published],
                read_only: true,
              },
            ],
          },
        },
      }),
    );

    ensureBuilt();
    server = await startServer(['--config', config]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('read-only integration explains why', async () => {
    const { page, errors } = await openPage(browser);

    await page.goto(`${server.url}/integrations/${PUBLISHED}`);
    await page.getByRole('heading', { level: 1, name: 'Census Tables' }).waitFor();
    await page.getByText('its provider “Published catalogue” is read-only').waitFor();

    assert.equal(await page.getByRole('link', { name: 'Edit', exact: true }).count(), 0);
    assert.equal(await page.getByLabel('Upload text files').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add example' }).count(), 0);

    await page.goto(`${server.url}/integrations/${PUBLISHED}/edit`);
    await page.getByText('its provider “Published catalogue” is read-only').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);

    await page.goto(`${server.url}/new`);
    await page.getByText('Stored by').waitFor();
    assert.equal(await page.getByText('Team drafts').count(), 1);
    assert.deepEqual(errors, []);
  });

  test('list filters by provider', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${server.url}/`);
    await page.getByText('4 integrations', { exact: true }).waitFor();
    await page.getByLabel('Provider').selectOption({ label: 'Published catalogue' });
    await page.getByText('Showing 1 of 4 integrations').waitFor();

    assert.equal(await page.locator('.integration-row').count(), 1);
    assert.match(page.url(), /provider=adhoc%3Apublished/);
  });
});

describe('web UI with a required token', { skip: CHROMIUM_MISSING }, () => {
  const TOKEN = 'correct horse battery staple';
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    server = await startServer(['--data', await copyRoot(EXAMPLES_ROOT)], {
      BEAKER_INTEGRATIONS_TOKEN: TOKEN,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('token form unlocks the list', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${server.url}/`);
    await page.getByRole('alert').filter({ hasText: 'requires an access token' }).waitFor();
    assert.equal(await page.locator('.integration-row').count(), 0);

    await page.getByText('Access token', { exact: true }).click();
    await page.getByLabel('Bearer token for this tab').fill(TOKEN);
    await page.getByLabel('Bearer token for this tab').press('Enter');
    await page.getByText('3 integrations', { exact: true }).waitFor();

    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal(await page.getByText('Access token: set').count(), 1);
  });

  test('token query moves to storage', async () => {
    const { page } = await openPage(browser);

    await page.goto(`${server.url}/?token=${encodeURIComponent(TOKEN)}&session=token_test`);
    await page.getByText('3 integrations', { exact: true }).waitFor();

    assert.equal(new URL(page.url()).searchParams.get('token'), null);
    assert.equal(new URL(page.url()).searchParams.get('session'), 'token_test');
    assert.equal(
      await page.evaluate(() => sessionStorage.getItem('beaker-integrations.token')),
      TOKEN,
    );
  });
});
