import { Agent, request } from 'node:http';

import { median, percentile } from './stats.js';

/** One POST: its path and JSON body. */
export interface WriteRequest {
  path: string;
  body: string;
}

export interface WriteResult {
  writes: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Writes whose response status was not 200. */
  failures: number;
}

export interface WriteOptions {
  origin: string;
  /** Builds the `n`th write; every call must give a distinct change, or the server has nothing to save. */
  next: (n: number) => WriteRequest;
  writes: number;
  /** Requests in flight at once, each worker sending its next write after the previous response. */
  connections: number;
  /** Number of the first write, so that later runs keep producing distinct changes. */
  firstNumber?: number;
}

/**
 * Sends `writes` POSTs over keep-alive connections and measures each one's
 * latency from sending to the end of the response body. With one connection
 * the writes are strictly sequential, which is what a single editor does.
 */
export async function measureWrites(options: WriteOptions): Promise<WriteResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;

  const worker = async () => {
    while (issued < options.writes) {
      const write = options.next((options.firstNumber ?? 0) + issued++);
      const started = performance.now();
      const status = await post(agent, options.origin, write);

      latencies.push(performance.now() - started);
      if (status !== 200) failures += 1;
    }
  };

  const started = performance.now();

  await Promise.all(Array.from({ length: options.connections }, worker));

  const elapsedMs = performance.now() - started;

  agent.destroy();

  return {
    writes: latencies.length,
    requestsPerSecond: (latencies.length * 1000) / elapsedMs,
    p50Ms: median(latencies),
    p99Ms: percentile(latencies, 0.99),
    failures,
  };
}

function post(agent: Agent, origin: string, write: WriteRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(write.path, origin), {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(write.body),
      },
    });

    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    outgoing.end(write.body);
  });
}
