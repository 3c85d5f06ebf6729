import assert from 'node:assert/strict';
import { test } from 'node:test';

import { slugify } from '@beaker-integrations/model';

const cases: [name: string, slug: string][] = [
  ['Census American Housing Survey (AHS)', 'census_american_housing_survey__ahs_'],
  ['  Ünïcödé — Data.Set v2  ', 'ünïcödé___data_set_v2'],
  ['天气 API', '天气_api'],
  ['My API!', 'my_api_'],
  ['already_a_slug_2', 'already_a_slug_2'],
  ['tab\there', 'tab_here'],
];

for (const [name, slug] of cases) {
  test(`slugify ${JSON.stringify(name)}`, () => {
    assert.equal(slugify(name), slug);
  });
}
