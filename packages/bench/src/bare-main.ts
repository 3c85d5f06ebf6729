import { once } from 'node:events';
import { parseArgs } from 'node:util';

import { createBareServer, fetchResponses } from './bare-server.js';

/*
 * Entry point of the bare server as its own process, so that it can be
 * pinned to the same core as the real server. It fetches its bodies from the
 * real server (`--origin`) for each `--path`, then prints the line
 * `bare server listening on URL`.
 */
const { values } = parseArgs({
  options: {
    origin: { type: 'string' },
    path: { type: 'string', multiple: true },
    port: { type: 'string', default: '0' },
  },
  strict: true,
});

if (values.origin === undefined || values.path === undefined) {
  process.stderr.write(
    'usage: bare-main.js --origin URL --path PATH [--path PATH…] [--port PORT]\n',
  );
  process.exit(2);
}

const responses = await fetchResponses(values.origin, values.path);
const server = createBareServer(responses);

server.listen(Number(values.port), '127.0.0.1');
await once(server, 'listening');

const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;

process.stdout.write(`bare server listening on http://127.0.0.1:${port}\n`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
