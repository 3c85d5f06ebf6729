import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatProblem, renderTemplate } from '@beaker-integrations/template';

const variables = { name: 'World' };

test('undefined variable reported with line', () => {
  const result = renderTemplate('a\nb {{ missing }}!', { variables });

  assert.equal(result.text, 'a\nb !');
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.kind, 'undefined_variable');
  assert.equal(result.problems[0]?.line, 2);
  assert.match(result.problems[0]?.message ?? '', /'missing'/);
});

test('undefined variable reported once per name', () => {
  const result = renderTemplate('{{ a }}\n{{ a }}\n{{ b|upper }}', { variables });

  assert.deepEqual(
    result.problems.map((problem) => [problem.kind, problem.line]),
    [
      ['undefined_variable', 1],
      ['undefined_variable', 3],
    ],
  );
});

test('undefined variable not reported when tested', () => {
  const template = '{% if a %}x{% endif %}{{ b|default("y") }}{% if c is defined %}z{% endif %}';
  const result = renderTemplate(template, { variables });

  assert.equal(result.text, 'y');
  assert.deepEqual(result.problems, []);
});

test('line numbers count CRLF and CR', () => {
  const crlf = renderTemplate('a\r\nb\r\n{{ x }}', { variables });
  const cr = renderTemplate('a\r{{ x }}', { variables });

  assert.equal(crlf.problems[0]?.line, 3);
  assert.equal(cr.problems[0]?.line, 2);
});

test('unresolved file reported with line', () => {
  const result = renderTemplate('x\n\n{% file nothing/here.csv %}', {
    variables,
    resolveFile: () => undefined,
  });

  assert.equal(result.text, 'x\n\nnothing/here.csv');
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.kind, 'unresolved_file');
  assert.equal(result.problems[0]?.line, 3);
});

test('file without resolver is unresolved', () => {
  const result = renderTemplate('{% file a.csv %}', { variables });

  assert.equal(result.text, 'a.csv');
  assert.equal(result.problems[0]?.kind, 'unresolved_file');
});

test('syntax error reported with line', () => {
  const result = renderTemplate('ok\n{% if name %}\n{{ }}\n{% endif %}', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.kind, 'syntax_error');
  assert.equal(result.problems[0]?.line, 3);
  assert.equal(result.problems[0]?.message, "Expected an expression, got 'end of print statement'");
});

test('unclosed if reported at end', () => {
  const result = renderTemplate('{% if name %}\nyes\n', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'syntax_error');
  assert.equal(result.problems[0]?.line, 2);
  assert.match(result.problems[0]?.message ?? '', /^Unexpected end of template\./);
});

test('endif without if is a syntax error', () => {
  const result = renderTemplate('a\n\n{% endif %}', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'syntax_error');
  assert.equal(result.problems[0]?.line, 3);
  assert.equal(result.problems[0]?.message, "Encountered unknown tag 'endif'.");
});

test('unsupported construct reported with line', () => {
  const result = renderTemplate('a\n{% for x in y %}{% endfor %}', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.kind, 'unsupported');
  assert.equal(result.problems[0]?.line, 2);
  assert.equal(result.problems[0]?.message, "'for' tags are not supported");
});

test('unsupported filter names supported ones', () => {
  const result = renderTemplate('{{ name|title }}', { variables });

  assert.equal(result.problems[0]?.kind, 'unsupported');
  assert.match(
    result.problems[0]?.message ?? '',
    /filter 'title' is not supported. Supported filters: default/,
  );
});

test('filter with wrong argument count', () => {
  const result = renderTemplate('{{ name|upper(1) }}', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'syntax_error');
  assert.equal(result.problems[0]?.message, "filter 'upper' takes no arguments, got 1");
});

test('length of a boolean is unsupported', () => {
  const result = renderTemplate('{{ true|length }}', { variables });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'unsupported');
});

test('problems before a stop are kept', () => {
  const result = renderTemplate('{{ missing }}\n{{ lipsum }}', { variables });

  assert.equal(result.text, null);
  assert.deepEqual(
    result.problems.map((problem) => problem.kind),
    ['undefined_variable', 'unsupported'],
  );
});

test('formatProblem prefixes the line', () => {
  const text = formatProblem({ kind: 'syntax_error', line: 7, message: 'tag name expected' });

  assert.equal(text, 'line 7: tag name expected');
});
