// Renders a table of small templates with this renderer and compares each
// result with the text Jinja2 3.1.6 rendered for it (pasted below), and,
// when python3 with jinja2 is installed, with a live Jinja2 render.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import fc from 'fast-check';

import { renderTemplate } from '@beaker-integrations/template';

const variables = {
  name: 'World',
  empty: '',
  multi: 'line1\r\nline2\n',
  braces: '{{ not rendered }}',
};

// Each row is a template and what Jinja2 3.1.6 renders for it with
// `jinja2.Environment()` and the variables above. Null means Jinja raises
// an error, so the renderer must return no text.
const cases: [template: string, expected: string | null][] = [
  ['a  {{- name }}  b', 'aWorld  b'],
  ['a  {{ name -}}  \n b', 'a  Worldb'],
  ['a\n  {%- if name %}x{% endif -%}\n  b', 'axb'],
  ['a {#- comment -#} b', 'ab'],
  ['a {%+ if name +%} b {% endif %}', 'a  b '],
  ['  {{- name -}}  ', 'World'],
  ['x\n\n  {{- name }}', 'xWorld'],
  ['{% if name -%}\n  yes\n{%- endif %}', 'yes'],
  ['a \u3000{{- name }}', 'aWorld'],
  ['a \ufeff{{- name }}', 'a \ufeffWorld'],
  ['a \u001c\u0085{{- name }}', 'aWorld'],
  ['{{-1}}', '1'],
  ['{% raw %}{{ name }}{% if %}{% endraw %}', '{{ name }}{% if %}'],
  ['{%- raw -%}  {{ x }}  {%- endraw -%}  after', '{{ x }}after'],
  ['{% raw %}{% raw %}{% endraw %}', '{% raw %}'],
  ['{%raw%}a{%endraw%}', 'a'],
  ['{% raw %}a{% endraw +%}\nb', 'a\nb'],
  ['a{# {{ name }} #}b', 'ab'],
  ['a{# multi\nline #}b', 'ab'],
  ['a{#', 'a'],
  ['{# c #}\n{{ name }}', '\nWorld'],
  ['line\n', 'line'],
  ['line\n\n', 'line\n'],
  ['a\r\nb\rc\r\n', 'a\nb\nc'],
  ['{{ multi }}\n', 'line1\r\nline2\n'],
  ['', ''],
  ['\n', ''],
  ['\r\n\r\n', '\n'],
  ['[{{ missing }}]', '[]'],
  ['{{ missing|upper }}', ''],
  ['{{ constructor }}{{ __proto__ }}{{ toString }}', ''],
  ['{{ "{{" }}x{{ "}}" }}', '{{x}}'],
  ['{{ \'single\' }} {{ "double" }}', 'single double'],
  ['{{ "a" "b" \'c\' }}', 'abc'],
  ['{{ "tab\\there\\n" }}', 'tab\there\n'],
  ["{{ '\\x41\\u00e9\\101\\U0001F600' }}", 'AéA😀'],
  ['{{ "\\d\\é" }}', '\\d\\xe9'],
  ["{{ 'it\\'s' }}", "it's"],
  ['{{ "line\\\ncontinued" }}', 'linecontinued'],
  ['{{ "é ünï 天气 😀" }}', 'é ünï 天气 😀'],
  ['{{ 42 }}{{ 0x1F }}{{ 1_000 }}{{ 0b11 }}', '423110003'],
  ['{{ true }} {{ False }} {{ none }} {{ None }}', 'True False None None'],
  ['{{ braces }}', '{{ not rendered }}'],
  ["{{ missing|default('fallback') }}", 'fallback'],
  ["{{ empty|default('fallback') }}", ''],
  ["{{ empty|default('fallback', true) }}", 'fallback'],
  ["{{ missing|d('x') }}{{ missing|default }}", 'x'],
  ['{{ "  padded \\n"|trim }}', 'padded'],
  ['{{ "xxhixx"|trim("x") }}', 'hi'],
  ['{{ name|upper }} {{ name|lower }}', 'WORLD world'],
  ['{{ "straße"|upper }}', 'STRASSE'],
  ['{{ name|length }} {{ "😀é"|length }} {{ missing|length }}', '5 2 0'],
  ['{{ name ~ "!" ~ missing ~ 1 }}', 'World!1'],
  ['{{ name | upper | lower }}', 'world'],
  ['{{ true|upper }}', 'TRUE'],
  ['{% if name %}yes{% endif %}', 'yes'],
  ['{% if empty %}yes{% else %}no{% endif %}', 'no'],
  ['{% if missing %}a{% elif name == "World" %}b{% else %}c{% endif %}', 'b'],
  ['{% if not missing and name != "x" %}ok{% endif %}', 'ok'],
  ['{% if missing or empty %}a{% else %}b{% endif %}', 'b'],
  ['{% if missing is defined %}a{% elif missing is not defined %}b{% endif %}', 'b'],
  ['{% if name is defined and (empty or name) %}ok{% endif %}', 'ok'],
  [
    '{{ name == "World" }} {{ missing == missing }} {{ true == 1 }} {{ name != name }}',
    'True True True False',
  ],
  ['{{ missing or "fallback" }}|{{ name and "both" }}|{{ empty or missing }}', 'fallback|both|'],
  ['{% if name: %}colon{% endif %}', 'colon'],
  ['{% if name %}{% if empty %}a{% elif name %}b{% endif %}{% else %}c{% endif %}', 'b'],
  ['{{ name is defined }} {{ not name }} {{ missing is undefined }}', 'True False True'],
  ["{% if 'a' == 'a' == 'a' %}chain{% endif %}", 'chain'],
  ['${db_labels} { "a": {"b": 1}} }} } {', '${db_labels} { "a": {"b": 1}} }} } {'],
  ['%} #} {x} -}} {{name}}', '%} #} {x} -}} World'],
  ['{ {name} }', '{ {name} }'],
  ['ünïcödé {{ name }} 天气 😀', 'ünïcödé World 天气 😀'],
  ['{{ }}', null],
  ['{% if name %}', null],
  ['{% endif %}', null],
  ['{{ name', null],
  ['{{ "\\x4" }}', null],
  ['{% if name %}a{% else %}b{% else %}c{% endif %}', null],
  ['{{ name }} {% endfor %}', null],
  ['{{ name name }}', null],
  ['{{ $ }}', null],
  ['{% %}', null],
  ['abc{{', null],
  ['{{ missing is defined is defined }}', null],
  ['{# unclosed', null],
  ['{% raw %}unclosed', null],
];

const JINJA_SCRIPT = `
import json, sys
import jinja2
payload = json.loads(sys.stdin.buffer.read().decode("utf-8"))
env = jinja2.Environment()
results = []
for template in payload["templates"]:
    try:
        results.append(env.from_string(template).render(payload["variables"]))
    except Exception:
        results.append(None)
sys.stdout.write(json.dumps({"version": jinja2.__version__, "results": results}))
`;

interface JinjaOutput {
  version: string;
  results: (string | null)[];
}

// Returns why Jinja2 cannot be run here, or null when it can.
function findJinjaUnavailable(): string | null {
  const run = spawnSync('python3', ['-c', 'import jinja2'], { encoding: 'utf8' });

  if (run.error !== undefined) return `python3 is not available (${run.error.message})`;
  if (run.status !== 0) return 'jinja2 is not installed for python3';

  return null;
}

// Renders templates with Jinja2 in one python3 process.
function renderWithJinja(templates: string[]): JinjaOutput {
  const input = JSON.stringify({ templates, variables });
  const run = spawnSync('python3', ['-c', JINJA_SCRIPT], { input, encoding: 'utf8' });

  assert.equal(run.status, 0, `python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as JinjaOutput;
}

for (const [template, expected] of cases) {
  test(`jinja table ${JSON.stringify(template)}`, () => {
    assert.equal(renderTemplate(template, { variables }).text, expected);
  });
}

test('jinja table against live jinja2', async (t) => {
  const unavailable = findJinjaUnavailable();

  if (unavailable !== null) {
    t.skip(unavailable);
    return;
  }

  const jinja = renderWithJinja(cases.map(([template]) => template));

  assert.match(jinja.version, /^3\.1\./, 'the table was made with Jinja2 3.1');

  for (const [index, [template, expected]] of cases.entries()) {
    await t.test(JSON.stringify(template), () => {
      const live = jinja.results[index];

      assert.equal(live, expected, 'stored expectation matches live jinja2');
      assert.equal(
        renderTemplate(template, { variables }).text,
        live,
        'renderer matches live jinja2',
      );
    });
  }
});

// Pieces that random templates are joined from: delimiters with and without
// white-space control, keywords, literals, filters and white space that
// Python and JavaScript classify differently.
const fragments = [
  ...['a', ' ', '  ', '\n', '\r\n', '\r', '\t', '\u00a0', '\u001c', '\ufeff', '\u3000', 'é'],
  ...['{{', '}}', '{%', '%}', '{#', '#}', '-', '+', '{', '}', '#', '%', '\\', ':', ',', '(', ')'],
  ...['name', 'missing', 'empty', ' if ', 'if', 'endif', ' else ', 'else', ' elif ', 'raw'],
  ...['endraw', '"s"', "'q'", '"\\n"', '1', 'true', 'none', '~', '==', '!='],
  ...['|upper', '|default("d")', '|trim', '|length', ' and ', ' or ', ' not ', ' is defined'],
  ...['{{ name }}', '{{ missing }}', '{{ name|upper }}', '{{ "x" ~ name }}', '{{ "\\x41" }}'],
  ...['{{ missing|default(name) }}', '{{ name == "World" }}', '{{ name is defined }}'],
  ...['{% if name %}', '{% if missing %}', '{% elif name %}', '{% else %}', '{% endif %}'],
  ...['{%- if empty -%}', '{% if not name or empty %}', '{%- else -%}', '{%- endif -%}'],
  ...['{%+ endif +%}', '{%- ', ' -%}', '{{- ', ' -}}', '{% raw %}', '{% endraw %}', '{# c #}'],
];

test('random templates against live jinja2', (t) => {
  const templates = fc.sample(
    fc
      .array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 14 })
      .map((parts) => parts.join('')),
    { numRuns: 3000, seed: 20240601 },
  );
  const unavailable = findJinjaUnavailable();

  if (unavailable !== null) {
    t.skip(unavailable);
    return;
  }

  const jinja = renderWithJinja(templates);

  const mismatches: string[] = [];

  for (const [index, template] of templates.entries()) {
    const result = renderTemplate(template, { variables });
    const stoppedAsUnsupported =
      result.text === null && result.problems.some((problem) => problem.kind === 'unsupported');

    if (result.text !== jinja.results[index] && !stoppedAsUnsupported) {
      mismatches.push(
        `${JSON.stringify(template)}: jinja2 ${JSON.stringify(jinja.results[index])}, renderer ${JSON.stringify(result.text)}`,
      );
    }
  }

  assert.deepEqual(mismatches, []);
});
