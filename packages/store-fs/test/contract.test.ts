import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FsStore } from '@beaker-integrations/store-fs';

import { describeStoreContract } from '../../core/test/store-contract.js';

describeStoreContract('filesystem', async () => {
  const root = await mkdtemp(join(tmpdir(), 'beaker-fs-contract-'));

  return {
    store: new FsStore({ roots: [root] }),
    reopen: () => new FsStore({ roots: [root] }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
