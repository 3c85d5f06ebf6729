import { MemoryStore } from '@beaker-integrations/core';

import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', () => {
  const store = new MemoryStore();

  return Promise.resolve({ store, reopen: () => store, cleanup: () => Promise.resolve() });
});
