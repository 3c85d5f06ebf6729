// Template-injection payloads: none may throw, print anything from the
// process or the file system, or pass silently when it is unsupported.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { renderTemplate, type TemplateProblemKind } from '@beaker-integrations/template';

const requestedFiles: string[] = [];

function resolveFile(path: string): string | undefined {
  requestedFiles.push(path);
  return undefined;
}

// Text that would show that a payload reached the process, Python or the disk.
const leaks = [
  'root:',
  '/bin/',
  process.cwd(),
  String(process.pid),
  'function',
  'native code',
  '[object',
  '<class',
  '<function',
  'uid=',
  'Template',
];

const payloads: [template: string, kind: TemplateProblemKind][] = [
  ["{{ ''.__class__.__mro__[1].__subclasses__() }}", 'unsupported'],
  ['{{ config }}', 'undefined_variable'],
  ['{{ config.items() }}', 'unsupported'],
  ['{{ self }}', 'unsupported'],
  ['{{ self.__init__.__globals__ }}', 'unsupported'],
  ["{{ cycler.__init__.__globals__.os.popen('id').read() }}", 'unsupported'],
  ['{{ range.constructor("return process")() }}', 'unsupported'],
  ["{{ x.constructor.constructor('return process')() }}", 'unsupported'],
  ["{{ x['constructor'] }}", 'unsupported'],
  ['{{ __proto__ }}', 'undefined_variable'],
  ['{{ constructor }}', 'undefined_variable'],
  ['{{ toString }}', 'undefined_variable'],
  ['{{ hasOwnProperty }}', 'undefined_variable'],
  ['{{ lipsum }}', 'unsupported'],
  ['{{ range }}', 'unsupported'],
  ['{{ namespace }}', 'unsupported'],
  ["{% include '/etc/passwd' %}", 'unsupported'],
  ["{% import 'x' as y %}", 'unsupported'],
  ["{% extends '/etc/passwd' %}", 'unsupported'],
  ["{% from 'x' import y %}", 'unsupported'],
  ['{% macro m() %}x{% endmacro %}', 'unsupported'],
  ['{% set x = 1 %}', 'unsupported'],
  ['{% for c in x %}{{ c }}{% endfor %}', 'unsupported'],
  ['{% with a = 1 %}{% endwith %}', 'unsupported'],
  ['{% filter upper %}x{% endfilter %}', 'unsupported'],
  ['{% call m() %}{% endcall %}', 'unsupported'],
  ["{{ x|attr('__class__') }}", 'unsupported'],
  ["{{ '%s'|format(x) }}", 'unsupported'],
  ['{{ x is callable }}', 'unsupported'],
  ['{{ "a" * 1000000000 }}', 'unsupported'],
  ['{{ 9 ** 999999 }}', 'unsupported'],
  ['{{ x if x else y }}', 'unsupported'],
  ['{{ [x, x] }}', 'unsupported'],
  ["{{ {'a': x} }}", 'unsupported'],
  ['{{ "\\N{BULLET}" }}', 'unsupported'],
  ['{% file /etc/passwd %}', 'unresolved_file'],
  ['{% file ../../etc/passwd %}', 'unresolved_file'],
  ['{% file a/../../../etc/passwd %}', 'unresolved_file'],
  ['{% do x %}', 'syntax_error'],
  ['{% python %}import os{% endpython %}', 'syntax_error'],
];

for (const [template, kind] of payloads) {
  test(`payload ${template}`, () => {
    requestedFiles.length = 0;

    const result = renderTemplate(template, { variables: { x: 'x' }, resolveFile });
    const text = result.text ?? '';

    for (const leak of leaks) assert.ok(!text.includes(leak), `output contains ${leak}`);
    assert.ok(
      result.problems.some((problem) => problem.kind === kind),
      `expected a ${kind} problem, got ${JSON.stringify(result.problems)}`,
    );
    assert.deepEqual(requestedFiles, [], 'a path outside the data folder reached resolveFile');
  });
}

test('variables must be own keys', () => {
  const inherited = Object.create({ inherited: 'from prototype' }) as Record<string, string>;
  const result = renderTemplate('[{{ inherited }}]', { variables: inherited });

  assert.equal(result.text, '[]');
  assert.equal(result.problems[0]?.kind, 'undefined_variable');
});

test('prototype names as own variables', () => {
  const variables = JSON.parse(
    '{"constructor": "c", "__proto__": "p", "toString": "t", "hasOwnProperty": "h"}',
  ) as Record<string, string>;
  const result = renderTemplate(
    '{{ constructor }}{{ __proto__ }}{{ toString }}{{ hasOwnProperty }}',
    {
      variables,
    },
  );

  assert.equal(result.text, 'cpth');
  assert.deepEqual(result.problems, []);
});

test('variable named like a Jinja global', () => {
  const result = renderTemplate('{{ range }}', { variables: { range: '1-5' } });

  assert.equal(result.text, '1-5');
});

test('variable values are not rendered', () => {
  const result = renderTemplate('{{ x }}', {
    variables: { x: '{% include "/etc/passwd" %}{{ y }}' },
  });

  assert.equal(result.text, '{% include "/etc/passwd" %}{{ y }}');
  assert.deepEqual(result.problems, []);
});
