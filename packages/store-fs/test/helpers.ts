import { spawnSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  lstat,
  readlink,
  writeFile,
  rm,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CORPUS = new URL('../../../../shared/corpus/biome/adhoc_data', import.meta.url)
  .pathname;

/** Creates a temporary folder, removed when the test ends. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'store-fs-'));

  t.after(() => rm(dir, { recursive: true, force: true }));

  return dir;
}

/** Writes `<root>/specifications/<name>/api.yaml` and the given attachments. */
export async function writeFolder(
  root: string,
  name: string,
  apiYaml: string,
  attachments: Record<string, string> = {},
): Promise<string> {
  const folder = path.join(root, 'specifications', name);

  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'api.yaml'), apiYaml);

  for (const [filepath, content] of Object.entries(attachments)) {
    const target = path.join(folder, 'attachments', filepath);

    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }

  return folder;
}

/** Returns a minimal valid api.yaml with optional extra lines. */
export function minimalYaml(name: string, extra = ''): string {
  return `name: ${name}\ndescription: About ${name}\nsource: Use ${name}.\n${extra}`;
}

/** Maps every path under `dir` to its file content or link target, to detect any change. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();

  async function walk(current: string): Promise<void> {
    for (const name of (await readdir(current)).sort()) {
      const full = path.join(current, name);
      const stats = await lstat(full);
      const key = path.relative(dir, full);

      if (stats.isSymbolicLink()) result.set(key, `-> ${await readlink(full)}`);
      else if (stats.isDirectory()) {
        result.set(key, '<dir>');
        await walk(full);
      } else result.set(key, await readFile(full, 'utf8'));
    }
  }

  await walk(dir);

  return result;
}

const PYTHON_SCRIPT = `
import datetime, json, sys, yaml
def default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(repr(value))
out = []
for name in sys.argv[1:]:
    with open(name, encoding='utf-8') as f:
        out.append(yaml.safe_load(f))
print(json.dumps(out, default=default))
`;

let pythonCommand: string | null | undefined;

/** Finds a python3 with PyYAML, or returns null when none is installed. */
export function findPython(): string | null {
  if (pythonCommand !== undefined) return pythonCommand;

  pythonCommand = null;

  for (const command of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(command, ['-c', 'import yaml'], { encoding: 'utf8' });

    if (probe.status === 0) {
      pythonCommand = command;
      break;
    }
  }

  return pythonCommand;
}

/** Returns what PyYAML's `safe_load` reads from each file, as JSON values (dates as ISO strings). */
export function pythonLoad(python: string, files: string[]): unknown[] {
  const run = spawnSync(python, ['-c', PYTHON_SCRIPT, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });

  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);

  return JSON.parse(run.stdout) as unknown[];
}

/** Strings that tempt a YAML writer into the wrong style. */
export const TRICKY_STRINGS: string[] = [
  'x'.repeat(500) + ' long line that must not be folded ' + 'y'.repeat(300),
  ' starts with a space',
  'ends with a space ',
  'key: value inside',
  'a # not a comment',
  '#starts with hash',
  'no',
  'on',
  'yes',
  'off',
  'y',
  'n',
  'Yes',
  'null',
  '~',
  '',
  '1e3',
  '0x1F',
  '1_000',
  '12:30',
  '0777',
  '09',
  '.5',
  '.inf',
  '1.0',
  '2024-01-01',
  '2024-01-01 10:00:00',
  '<<',
  '=',
  '- leading dash',
  '*star',
  '&amp',
  '!bang',
  '%percent',
  '@at',
  '`backtick`',
  '"double" quotes',
  "it's",
  'tab\tinside',
  'line one\nline two',
  'trailing spaces   \nsecond line\n',
  'keeps\n\n\n',
  '\nstarts with newline',
  '  indented first line\nsecond\n',
  'ends with blank line\n   ',
  'crlf line\r\nnext line\r\n',
  'bell \x07 and escape \x1b',
  'unicode: Ünïcödé — 天气',
  'emoji 😀 outside the BMP',
  'multi-line code:\n\tfor x in y:\n\t\tprint(x)  \n',
  'nel\x85separator',
  'line\u2028separator',
  '---',
  '...',
  'a: b\nc: d',
  '  \n  ',
  '\ufeffbom first',
];
