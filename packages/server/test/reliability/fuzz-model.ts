import assert from 'node:assert/strict';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import fc from 'fast-check';

import {
  type Selector,
  type TagMode,
  UUID_POOL,
  exampleBody,
  fileBody,
  integrationFields,
  pathType,
  resourcePatch,
  selector,
  tagMode,
} from './fuzz-arbitraries.js';
import {
  FuzzModel,
  INTEGRATION_FIELDS,
  type Json,
  PROVIDER,
  completeResource,
  extras,
  integrationFieldsInvalid,
  listingOf,
  resourceTaken,
  resourcesOf,
  slugOf,
  slugTaken,
  validSlug,
  wire,
} from './fuzz-rules.js';
import {
  API,
  EXAMPLES_ROOT,
  send,
  sendRaw,
  startLocal,
  tempEntries,
  type Reply,
} from './support.js';

/*
 * Commands of the property-based test. Each sends one request (a few send
 * two), predicts the status from the model of the store, checks the
 * response, and applies an accepted change to the model.
 */

export const BODY_LIMIT = 64 * 1024;
const MISSING_UUID = 'f0f0f0f0-0000-4000-8000-000000000000';
/** Two sessions on one context, which must see one store. */
const SESSIONS = ['fuzz_a', 'fuzz_b'];

/** The running service under test and the count of requests sent to it, by status. */
export interface FuzzSystem {
  base: string;
  requests: number;
  statuses: Map<number, number>;
}

async function request(
  system: FuzzSystem,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const reply = await send(system.base, method, path, body, headers);

  count(system, reply.status);
  assert.ok(reply.status < 500, `${method} ${path} returned ${reply.status}: ${reply.text}`);

  return reply;
}

function count(system: FuzzSystem, status: number): void {
  system.requests += 1;
  system.statuses.set(status, (system.statuses.get(status) ?? 0) + 1);
}

function expectStatus(reply: Reply, status: number, label: string): void {
  assert.equal(reply.status, status, `${label}: ${reply.text}`);

  if (status >= 400) {
    assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
    assert.equal((reply.json as { status?: number }).status, status, label);
  }
}

function pick(model: FuzzModel, selected: Selector): string {
  const uuids = model.uuids();

  if (selected.missing || uuids.length === 0) return MISSING_UUID;

  return uuids[selected.index % uuids.length]!;
}

function pickResource(model: FuzzModel, uuid: string, index: number, missing: boolean): string {
  const integration = model.integrations.get(uuid);
  const ids = integration ? Object.keys(resourcesOf(integration)).sort() : [];

  return missing || ids.length === 0 ? 'no_such_resource' : ids[index % ids.length]!;
}

function session(index: number): string {
  return `${API}/${SESSIONS[index % SESSIONS.length]!}`;
}

/** Builds the `If-Match` header of a mode. `fresh` reads the integration's current ETag first. */
async function ifMatch(
  system: FuzzSystem,
  mode: TagMode,
  path: string,
): Promise<Record<string, string>> {
  if (mode === 'none') return {};
  if (mode === 'star') return { 'if-match': '*' };
  if (mode === 'stale') return { 'if-match': '"stale-tag-0000000000000"' };

  const current = await request(system, 'GET', path);

  return { 'if-match': current.headers.get('etag') ?? '"no-etag"' };
}

type Command = fc.AsyncCommand<FuzzModel, FuzzSystem>;

class CreateIntegration implements Command {
  constructor(
    readonly body: Json,
    readonly uuidChoice: number,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const body: Json = { description: '', ...wire(this.body) };

    if (this.uuidChoice < UUID_POOL.length) body.uuid = UUID_POOL[this.uuidChoice];

    // A new integration has no ETag yet, so any If-Match but `*` fails.
    const headers: Record<string, string> =
      this.mode === 'stale' || this.mode === 'fresh' ? { 'if-match': '"any-tag-000000"' } : {};
    const reply = await request(system, 'POST', session(this.sessionIndex), body, headers);
    const expected = this.expected(model, body, headers);

    expectStatus(reply, expected, this.toString());

    if (expected !== 200) return;

    const created = reply.json as Json;
    const uuid = (body.uuid as string | undefined) ?? (created.uuid as string);
    const integration = {
      ...extras(body, INTEGRATION_FIELDS),
      uuid,
      name: body.name,
      description: body.description,
      provider: PROVIDER,
      slug: body.slug ?? slugOf(body.name as string),
      datatype: body.datatype ?? 'api',
      url: body.url ?? null,
      img_url: body.img_url ?? null,
      source: body.source ?? '',
      last_updated: body.last_updated ?? null,
      resources: {},
    };

    assert.ok(!model.integrations.has(uuid), 'a new uuid');
    assert.deepEqual(created, integration, this.toString());
    model.integrations.set(uuid, integration);
  }

  private expected(model: FuzzModel, body: Json, headers: Record<string, string>): number {
    if (body.name === undefined || integrationFieldsInvalid(body)) return 400;
    if (body.slug === undefined && !validSlug(slugOf(body.name as string))) return 400;
    if (headers['if-match'] !== undefined) return 412;
    if (body.uuid !== undefined && model.integrations.has(body.uuid as string)) return 409;

    const slug = (body.slug as string | undefined) ?? slugOf(body.name as string);

    return slugTaken(model, slug) ? 409 : 200;
  }

  toString(): string {
    return `create(${JSON.stringify(this.body)}, uuid ${this.uuidChoice}, ${this.mode})`;
  }
}

class UpdateIntegration implements Command {
  constructor(
    readonly target: Selector,
    readonly body: Json,
    readonly sameUuid: boolean,
    readonly staleResources: boolean,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const path = `${session(this.sessionIndex)}/${uuid}`;
    const body: Json = wire(this.body);

    if (this.sameUuid) body.uuid = uuid;
    if (this.staleResources) body.resources = { stale: { resource_type: 'example' } };

    const headers = await ifMatch(system, model.integrations.has(uuid) ? this.mode : 'none', path);
    const reply = await request(system, 'POST', path, body, headers);
    const current = model.integrations.get(uuid);
    const expected = this.expected(model, current, body, headers);

    expectStatus(reply, expected, this.toString());

    if (expected !== 200) return;

    const known = Object.fromEntries(
      ['name', 'description', 'slug', 'datatype', 'url', 'img_url', 'source', 'last_updated']
        .filter((field) => body[field] !== undefined)
        .map((field) => [field, body[field]]),
    );
    const next = { ...current, ...extras(body, INTEGRATION_FIELDS), ...known };

    assert.deepEqual(reply.json, next, this.toString());
    model.integrations.set(uuid, next);
  }

  private expected(
    model: FuzzModel,
    current: Json | undefined,
    body: Json,
    headers: Record<string, string>,
  ): number {
    if (current === undefined) return 404;
    if (headers['if-match'] === '"stale-tag-0000000000000"') return 412;
    if (integrationFieldsInvalid(body)) return 400;
    if (body.slug !== undefined && slugTaken(model, body.slug as string, current.uuid as string))
      return 409;

    return 200;
  }

  toString(): string {
    return `update(${JSON.stringify(this.target)}, ${JSON.stringify(this.body)}, ${this.mode})`;
  }
}

class RemoveIntegration implements Command {
  constructor(
    readonly target: Selector,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const path = `${session(this.sessionIndex)}/${uuid}`;
    const exists = model.integrations.has(uuid);
    const headers = await ifMatch(system, exists ? this.mode : 'none', path);
    const reply = await request(system, 'DELETE', path, undefined, headers);
    const stale = headers['if-match'] === '"stale-tag-0000000000000"';
    let expected = 200;

    if (!exists) expected = 404;
    else if (stale) expected = 412;

    expectStatus(reply, expected, this.toString());

    if (expected !== 200) return;

    assert.deepEqual(reply.json, {}, this.toString());
    model.integrations.delete(uuid);
  }

  toString(): string {
    return `remove(${JSON.stringify(this.target)}, ${this.mode})`;
  }
}

class AddResource implements Command {
  constructor(
    readonly target: Selector,
    readonly body: Json,
    readonly type: string,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const base = `${session(this.sessionIndex)}/${uuid}`;
    const exists = model.integrations.has(uuid);
    const headers = await ifMatch(system, exists ? this.mode : 'none', base);
    const reply = await request(system, 'POST', `${base}/${this.type}`, this.body, headers);
    const outcome = this.expected(model, uuid, headers);

    expectStatus(reply, outcome.status, this.toString());

    if (outcome.resource === undefined) return;

    const created = reply.json as Json;
    const resource = { ...outcome.resource, resource_id: created.resource_id };
    const integration = model.integrations.get(uuid)!;

    assert.deepEqual(created, resource, this.toString());
    assert.ok(!Object.hasOwn(resourcesOf(integration), created.resource_id as string));
    model.integrations.set(uuid, {
      ...integration,
      resources: { ...resourcesOf(integration), [created.resource_id as string]: resource },
    });
  }

  private expected(model: FuzzModel, uuid: string, headers: Record<string, string>) {
    const body = wire(this.body);
    const known = ['file', 'example'].includes(this.type);

    if (known && body.resource_type !== undefined && body.resource_type !== this.type)
      return { status: 400 };
    if (known) body.resource_type ??= this.type;

    const integration = model.integrations.get(uuid);

    if (integration === undefined) return { status: 404 };
    if (headers['if-match'] === '"stale-tag-0000000000000"') return { status: 412 };
    if (body.resource_type !== 'file' && body.resource_type !== 'example') return { status: 400 };

    const resource = completeResource(body.resource_type, body, uuid);

    if (resource === undefined) return { status: 400 };
    if (resource.resource_id === undefined) resource.resource_id = '(generated)';
    if (resourceTaken(resourcesOf(integration), resource)) return { status: 409 };

    return { status: 200, resource };
  }

  toString(): string {
    return `addResource(${JSON.stringify(this.target)}, ${this.type}, ${JSON.stringify(this.body)}, ${this.mode})`;
  }
}

class UpdateResource implements Command {
  constructor(
    readonly target: Selector,
    readonly resourceIndex: number,
    readonly patch: Json,
    readonly type: string,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const resourceId = pickResource(model, uuid, this.resourceIndex, this.target.missing);
    const base = `${session(this.sessionIndex)}/${uuid}`;
    const exists = model.integrations.has(uuid);
    const headers = await ifMatch(system, exists ? this.mode : 'none', base);
    const path = `${base}/${this.type}/${resourceId}`;
    const reply = await request(system, 'POST', path, this.patch, headers);
    const outcome = this.expected(model, uuid, resourceId, headers);

    expectStatus(reply, outcome.status, this.toString());

    if (outcome.resource === undefined) return;

    const integration = model.integrations.get(uuid)!;

    assert.deepEqual(reply.json, outcome.resource, this.toString());
    model.integrations.set(uuid, {
      ...integration,
      resources: { ...resourcesOf(integration), [resourceId]: outcome.resource },
    });
  }

  private expected(
    model: FuzzModel,
    uuid: string,
    resourceId: string,
    headers: Record<string, string>,
  ) {
    const body = wire(this.patch);
    const known = ['file', 'example'].includes(this.type);

    if (known && body.resource_type !== undefined && body.resource_type !== this.type)
      return { status: 400 };
    if (known) body.resource_type ??= this.type;

    const integration = model.integrations.get(uuid);

    if (integration === undefined) return { status: 404 };

    const resources = resourcesOf(integration);
    const current = Object.hasOwn(resources, resourceId) ? resources[resourceId] : undefined;

    if (current === undefined) return { status: 404 };
    if (headers['if-match'] === '"stale-tag-0000000000000"') return { status: 412 };
    if (body.resource_id !== undefined && body.resource_id !== resourceId) return { status: 400 };
    if (body.resource_type !== undefined && body.resource_type !== current.resource_type)
      return { status: 400 };

    const merged = { ...current, ...body, resource_id: resourceId };
    const resource = completeResource(current.resource_type as string, merged, uuid);

    if (resource === undefined) return { status: 400 };

    const others = { ...resources };

    delete others[resourceId];

    if (resourceTaken(others, resource)) return { status: 409 };

    return { status: 200, resource };
  }

  toString(): string {
    return `updateResource(${JSON.stringify(this.target)}, #${this.resourceIndex}, ${this.type}, ${JSON.stringify(this.patch)}, ${this.mode})`;
  }
}

class RemoveResource implements Command {
  constructor(
    readonly target: Selector,
    readonly resourceIndex: number,
    readonly type: string,
    readonly sessionIndex: number,
    readonly mode: TagMode,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const resourceId = pickResource(model, uuid, this.resourceIndex, this.target.missing);
    const base = `${session(this.sessionIndex)}/${uuid}`;
    const exists = model.integrations.has(uuid);
    const headers = await ifMatch(system, exists ? this.mode : 'none', base);
    const reply = await request(
      system,
      'DELETE',
      `${base}/${this.type}/${resourceId}`,
      undefined,
      headers,
    );
    const expected = this.expected(model, uuid, resourceId, headers);

    expectStatus(reply, expected, this.toString());

    if (expected !== 200) return;

    const integration = model.integrations.get(uuid)!;
    const resources = { ...resourcesOf(integration) };

    delete resources[resourceId];
    assert.deepEqual(reply.json, {}, this.toString());
    model.integrations.set(uuid, { ...integration, resources });
  }

  private expected(
    model: FuzzModel,
    uuid: string,
    resourceId: string,
    headers: Record<string, string>,
  ): number {
    const integration = model.integrations.get(uuid);

    if (integration === undefined) return 404;

    const resources = resourcesOf(integration);
    const current = Object.hasOwn(resources, resourceId) ? resources[resourceId] : undefined;

    if (current === undefined) return 404;
    if (['file', 'example'].includes(this.type) && current.resource_type !== this.type) return 400;

    return headers['if-match'] === '"stale-tag-0000000000000"' ? 412 : 200;
  }

  toString(): string {
    return `removeResource(${JSON.stringify(this.target)}, #${this.resourceIndex}, ${this.type}, ${this.mode})`;
  }
}

class Read implements Command {
  constructor(
    readonly target: Selector,
    readonly resourceIndex: number,
    readonly kind: 'listing' | 'summary' | 'integration' | 'resources' | 'resource',
    readonly type: string,
    readonly sessionIndex: number,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const base = session(this.sessionIndex);

    if (this.kind === 'listing' || this.kind === 'summary') {
      const query = this.kind === 'summary' ? '?view=summary' : '';
      const reply = await request(system, 'GET', `${base}${query}`);

      expectStatus(reply, 200, this.toString());
      assert.deepEqual(reply.json, listingOf(model, this.kind), this.toString());
      return;
    }

    const uuid = pick(model, this.target);
    const integration = model.integrations.get(uuid);

    if (this.kind === 'integration') {
      const reply = await request(system, 'GET', `${base}/${uuid}`);

      expectStatus(reply, integration ? 200 : 404, this.toString());
      if (integration) assert.deepEqual(reply.json, integration, this.toString());
      return;
    }

    if (this.kind === 'resources') {
      const reply = await request(system, 'GET', `${base}/${uuid}/${this.type}`);

      expectStatus(reply, integration ? 200 : 404, this.toString());

      if (integration) {
        const all = Object.values(resourcesOf(integration));
        const listed = this.type === 'all' ? all : all.filter((r) => r.resource_type === this.type);

        assert.deepEqual(byId((reply.json as { resources: Json[] }).resources), byId(listed));
      }
      return;
    }

    const resourceId = pickResource(model, uuid, this.resourceIndex, this.target.missing);
    const reply = await request(system, 'GET', `${base}/${uuid}/${this.type}/${resourceId}`);
    const resources = integration ? resourcesOf(integration) : {};
    const resource = Object.hasOwn(resources, resourceId) ? resources[resourceId] : undefined;
    const wrongType =
      ['file', 'example'].includes(this.type) && resource?.resource_type !== this.type;
    const found = resource !== undefined && !wrongType;

    expectStatus(reply, found ? 200 : 404, this.toString());
    if (found) assert.deepEqual(reply.json, resource, this.toString());
  }

  toString(): string {
    return `read(${this.kind}, ${JSON.stringify(this.target)}, ${this.type})`;
  }
}

function byId(resources: Json[]): Json[] {
  return [...resources].sort((a, b) => String(a.resource_id).localeCompare(String(b.resource_id)));
}

type GarbageKind = 'json' | 'array' | 'proto' | 'id' | 'large' | 'provider';

/** A request that must be rejected whatever the store holds, and must change nothing. */
class Garbage implements Command {
  constructor(
    readonly target: Selector,
    readonly kind: GarbageKind,
    readonly route: number,
  ) {}

  check = () => true;

  async run(model: FuzzModel, system: FuzzSystem): Promise<void> {
    const uuid = pick(model, this.target);
    const routes = [`${API}/fuzz_a`, `${API}/fuzz_a/${uuid}`, `${API}/fuzz_a/${uuid}/new`];
    const path = routes[this.route % routes.length]!;

    if (this.kind === 'id') {
      const ids = ['a%2Fb', '%2E%2E', 'a.b', '%C3%BC'];
      const raw = await sendRaw(
        system.base,
        'POST',
        `${API}/fuzz_a/${ids[this.route % ids.length]}`,
        '{}',
      );

      count(system, raw.status);
      assert.equal(raw.status, 400, `${this.toString()}: ${raw.text}`);
      return;
    }

    const bodies: Record<Exclude<GarbageKind, 'id'>, string> = {
      json: '{"name": "x",',
      array: '[{"name": "x", "description": ""}]',
      proto: '{"name": "P", "description": "", "a": {"__proto__": {"polluted": 1}}}',
      large: JSON.stringify({ name: 'L', description: 'x'.repeat(BODY_LIMIT) }),
      provider: JSON.stringify({ name: 'Elsewhere', description: '', provider: 'nope:none' }),
    };
    // An unknown provider only means something when creating an integration.
    const target = this.kind === 'provider' ? routes[0]! : path;
    const reply = await request(system, 'POST', target, bodies[this.kind]);
    const expected = { large: 413, provider: 404, json: 400, array: 400, proto: 400 }[this.kind];

    expectStatus(reply, expected, this.toString());
  }

  toString(): string {
    return `garbage(${this.kind}, route ${this.route})`;
  }
}

const createIntegration = fc
  .tuple(integrationFields, fc.nat({ max: UUID_POOL.length * 3 }), fc.nat(), tagMode)
  .map(([body, uuid, sessionIndex, mode]) => new CreateIntegration(body, uuid, sessionIndex, mode));

/**
 * Every command kind. fc.commands picks among them evenly, so creation is
 * listed twice: it fails more often than removal, and long sequences would
 * otherwise empty the store.
 */
export const commands: fc.Arbitrary<Command>[] = [
  createIntegration,
  createIntegration,
  fc
    .tuple(selector, integrationFields, fc.boolean(), fc.boolean(), fc.nat(), tagMode)
    .map(
      ([target, body, sameUuid, stale, sessionIndex, mode]) =>
        new UpdateIntegration(target, body, sameUuid, stale, sessionIndex, mode),
    ),
  fc
    .tuple(selector, fc.nat(), tagMode)
    .map(([target, sessionIndex, mode]) => new RemoveIntegration(target, sessionIndex, mode)),
  fc
    .tuple(selector, fc.oneof(exampleBody, fileBody), pathType, fc.nat(), tagMode)
    .map(
      ([target, body, type, sessionIndex, mode]) =>
        new AddResource(target, body, type, sessionIndex, mode),
    ),
  fc
    .tuple(selector, fc.nat(), resourcePatch, pathType, fc.nat(), tagMode)
    .map(
      ([target, index, patch, type, sessionIndex, mode]) =>
        new UpdateResource(target, index, patch, type, sessionIndex, mode),
    ),
  fc
    .tuple(selector, fc.nat(), pathType, fc.nat(), tagMode)
    .map(
      ([target, index, type, sessionIndex, mode]) =>
        new RemoveResource(target, index, type, sessionIndex, mode),
    ),
  fc
    .tuple(
      selector,
      fc.nat(),
      fc.constantFrom('listing', 'summary', 'integration', 'resources', 'resource'),
      pathType,
      fc.nat(),
    )
    .map(
      ([target, index, kind, type, sessionIndex]) =>
        new Read(target, index, kind, type, sessionIndex),
    ),
  fc
    .tuple(
      selector,
      fc.constantFrom<GarbageKind>('json', 'array', 'proto', 'id', 'large', 'provider'),
      fc.nat({ max: 8 }),
    )
    .map(([target, kind, route]) => new Garbage(target, kind, route)),
];

/** Request counts over every run, by status. */
export interface FuzzTotals {
  runs: number;
  requests: number;
  statuses: Map<number, number>;
}

export function newTotals(): FuzzTotals {
  return { runs: 0, requests: 0, statuses: new Map() };
}

/**
 * Runs one command sequence against a fresh copy of the bundled examples,
 * then restarts the service on the same folder and checks that the listing
 * read back from disk equals the model, and that no temporary file is left.
 */
export async function runSequence(
  work: string,
  sequence: Iterable<Command>,
  totals: FuzzTotals,
): Promise<void> {
  const root = join(work, `run-${totals.runs}`);
  const system: FuzzSystem = { base: '', requests: 0, statuses: totals.statuses };
  const model = new FuzzModel();

  totals.runs += 1;
  await cp(EXAMPLES_ROOT, root, { recursive: true });

  let server = await startLocal([root], { bodyLimit: BODY_LIMIT });

  try {
    system.base = server.base;

    const initial = (await request(system, 'GET', `${API}/fuzz_a`)).json as {
      integrations: Record<string, Json>;
    };

    for (const [uuid, integration] of Object.entries(initial.integrations))
      model.integrations.set(uuid, integration);

    await fc.asyncModelRun(() => ({ model, real: system }), sequence);
    await server.close();

    server = await startLocal([root], { bodyLimit: BODY_LIMIT });
    system.base = server.base;

    const reloaded = await request(system, 'GET', `${API}/fuzz_b`);

    assert.deepEqual(reloaded.json, listingOf(model), 'listing after a restart equals the model');
    assert.deepEqual(await tempEntries(root), [], 'no temporary files left');
  } finally {
    totals.requests += system.requests;
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}
