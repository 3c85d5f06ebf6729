import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Context, MemoryStore, SessionManager, StoreProvider } from '@beaker-integrations/core';
import { InvalidInputError, NotFoundError } from '@beaker-integrations/model';

async function contexts() {
  const shared = new StoreProvider({
    store: new MemoryStore(),
    providerType: 'adhoc',
    slug: 'shared',
    displayName: 'Shared',
  });

  await shared.load();

  return new Map([
    ['default', new Context({ name: 'default', providers: [shared] })],
    ['other', new Context({ name: 'other', providers: [shared] })],
  ]);
}

describe('sessions', () => {
  test('unknown id creates session on default', async () => {
    const manager = new SessionManager({ contexts: await contexts(), defaultContext: 'default' });
    const session = manager.get('notebook_dev_session');

    assert.equal(session.context.name, 'default');
    assert.equal(manager.get('notebook_dev_session'), session);
  });

  test('unknown id rejected when creation required', async () => {
    const manager = new SessionManager({
      contexts: await contexts(),
      defaultContext: 'default',
      autoCreate: false,
    });

    assert.throws(() => manager.get('s1'), NotFoundError);

    manager.create('s1', 'other');

    assert.equal(manager.get('s1').context.name, 'other');
  });

  test('invalid ids rejected', async () => {
    const manager = new SessionManager({ contexts: await contexts(), defaultContext: 'default' });

    for (const id of ['', 'a/b', 'a.b', 'ü', 'a%2Fb', 'x'.repeat(129)]) {
      assert.throws(() => manager.get(id), InvalidInputError, id);
    }
  });

  test('unknown context rejected', async () => {
    const manager = new SessionManager({ contexts: await contexts(), defaultContext: 'default' });

    assert.throws(() => manager.create('s1', 'missing'), NotFoundError);
  });

  test('live sessions bounded', async () => {
    const manager = new SessionManager({
      contexts: await contexts(),
      defaultContext: 'default',
      maxSessions: 3,
    });

    for (let index = 0; index < 10; index += 1) manager.get(`s${index}`);

    assert.equal(manager.size, 3);
    assert.deepEqual(
      manager.list().map((session) => session.session_id),
      ['s7', 's8', 's9'],
    );
  });

  test('idle sessions expire', async () => {
    let now = 0;
    const manager = new SessionManager({
      contexts: await contexts(),
      defaultContext: 'default',
      idleTimeoutMs: 1000,
      now: () => now,
    });

    manager.get('old');
    now = 500;
    manager.get('recent');
    now = 1200;

    assert.deepEqual(
      manager.list().map((session) => session.session_id),
      ['recent'],
    );
  });

  test('write visible across sessions', async () => {
    const manager = new SessionManager({ contexts: await contexts(), defaultContext: 'default' });
    const [writer] = manager.get('a').context.providerList as StoreProvider[];
    const created = await writer!.addIntegration({ name: 'Shared', description: '' });
    const reader = manager.create('b', 'other').context;

    assert.equal((await reader.listIntegrations())[created.uuid]?.name, 'Shared');
  });
});
