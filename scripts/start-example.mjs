#!/usr/bin/env node
// `npm start`: serves ./integrations, the CLI's default data root, after
// seeding it from the bundled example on first use, so that trying the API
// never changes the tracked files under examples/.
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}integrations`;

if (!existsSync(target)) {
  cpSync(`${root}examples/integrations`, target, { recursive: true });
  console.log(`Copied the bundled example to ${target}`);
}

const cli = `${root}packages/server/dist/beaker-integrations.mjs`;
const child = spawn(process.execPath, [cli, 'serve', '--data', target, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
