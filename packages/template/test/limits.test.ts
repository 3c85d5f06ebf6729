// Large and deeply nested templates: no throw, no stack overflow, and the
// time is printed (not asserted) for the large ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_NESTING, renderTemplate } from '@beaker-integrations/template';

const variables = { x: 'value' };

function nestedIfs(depth: number): string {
  return `${'{% if x %}'.repeat(depth)}deep${'{% endif %}'.repeat(depth)}`;
}

function timed<T>(label: string, run: () => T): T {
  const start = process.hrtime.bigint();
  const result = run();
  const milliseconds = Number(process.hrtime.bigint() - start) / 1e6;

  console.log(`# ${label}: ${milliseconds.toFixed(1)} ms`);
  return result;
}

test('nesting up to the limit renders', () => {
  const result = renderTemplate(nestedIfs(MAX_NESTING), { variables });

  assert.equal(result.text, 'deep');
  assert.deepEqual(result.problems, []);
});

test('nesting beyond the limit is unsupported', () => {
  const result = renderTemplate(nestedIfs(MAX_NESTING + 1), { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'unsupported');
  assert.match(result.problems[0]?.message ?? '', /nesting deeper than 100 levels/);
});

test('deep nesting of every kind', () => {
  const templates = [
    nestedIfs(100_000),
    `{{ ${'('.repeat(100_000)}x${')'.repeat(100_000)} }}`,
    `{{ ${'not '.repeat(100_000)}x }}`,
    `{{ ${'x|default('.repeat(100_000)}x${')'.repeat(100_000)} }}`,
    `{% if ${'('.repeat(100_000)}`,
  ];

  for (const template of templates) {
    const result = renderTemplate(template, { variables });

    assert.equal(result.text, null);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.kind, 'unsupported');
  }
});

test('long chains do not recurse', () => {
  const count = 100_000;
  const or = renderTemplate(`{{ ${'y or '.repeat(count)}x }}`, { variables });
  const concat = renderTemplate(`{{ ${'x ~ '.repeat(count)}x }}`, { variables });
  const filters = renderTemplate(`{{ x${'|upper'.repeat(count)} }}`, { variables });

  assert.equal(or.text, 'value');
  assert.equal(concat.text?.length, 'value'.length * (count + 1));
  assert.equal(filters.text, 'VALUE');
});

test('100k openers', () => {
  for (const opener of ['{{', '{%', '{#', '{{ ', '{% if x %}']) {
    const result = timed(`100k ${JSON.stringify(opener)}`, () =>
      renderTemplate(opener.repeat(100_000), { variables }),
    );

    assert.equal(result.text, null, opener);
    assert.equal(result.problems.length, 1, opener);
  }
});

test('10 MB template renders', () => {
  const chunk = `${'lorem ipsum dolor sit amet '.repeat(36)}{{ x }} { braces } ${'}}'}\n`;
  const template = chunk.repeat(Math.ceil(10_000_000 / chunk.length));
  const result = timed(`${(template.length / 1e6).toFixed(1)} MB template`, () =>
    renderTemplate(template, { variables }),
  );

  assert.notEqual(result.text, null);
  assert.deepEqual(result.problems, []);
  assert.equal(result.text?.split('value').length, template.split('{{ x }}').length);
});

test('10 MB template without newlines', () => {
  const template = '{{ x }}{# c #}'.repeat(700_000);
  const result = timed(`${(template.length / 1e6).toFixed(1)} MB of tags, one line`, () =>
    renderTemplate(template, { variables }),
  );

  assert.equal(result.text, 'value'.repeat(700_000));
});

test('1.3 MB variable and template', () => {
  const attachment = 'x'.repeat(1_300_000);
  const template = `${'# Heading\nSome text with ${shell} and { json }.\n'.repeat(30_000)}{{ doc }}`;
  const result = timed(
    `${(template.length / 1e6).toFixed(1)} MB template with 1.3 MB variable`,
    () => renderTemplate(template, { variables: { doc: attachment } }),
  );

  assert.equal(result.text?.length, template.length - '{{ doc }}'.length + attachment.length);
});

test('unterminated constructs at scale', () => {
  const templates = [
    `{% raw %}${'{% endraw'.repeat(100_000)}`,
    `{#${'#'.repeat(1_000_000)}`,
    `{{ '${'\\'.repeat(1_000_000)}`,
    `{{ ${'1'.repeat(1_000_000)}x }}`,
  ];

  for (const template of templates) {
    const result = timed(`unterminated ${JSON.stringify(template.slice(0, 12))}`, () =>
      renderTemplate(template, { variables }),
    );

    assert.equal(result.text, null);
  }
});
