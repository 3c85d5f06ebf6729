import { NotFoundError, type Integration, type Resource } from '@beaker-integrations/model';
import type { IntegrationProvider } from '@beaker-integrations/core';

/**
 * A read-only provider over a fixed list of integrations, such as a catalogue
 * compiled into an application. It implements the four read methods and
 * `hasIntegration`, which lets a context find an integration's owner without
 * listing everything.
 */
export class StaticProvider implements IntegrationProvider {
  readonly providerType = 'static';
  readonly mutable = false;
  readonly description = 'Integrations compiled into the application';

  private readonly byId: Map<string, Integration>;

  constructor(
    readonly slug: string,
    readonly displayName: string,
    integrations: Integration[],
  ) {
    const provider = `${this.providerType}:${slug}`;

    // Each integration's `provider` field is set to this provider's own id.
    this.byId = new Map(integrations.map((item) => [item.uuid, { ...item, provider }]));
  }

  hasIntegration(integrationId: string): boolean {
    return this.byId.has(integrationId);
  }

  async listIntegrations(): Promise<Integration[]> {
    return [...this.byId.values()];
  }

  async getIntegration(integrationId: string): Promise<Integration> {
    const integration = this.byId.get(integrationId);

    if (integration === undefined) throw new NotFoundError('integration', integrationId);

    return integration;
  }

  async listResources(integrationId: string, resourceType?: string): Promise<Resource[]> {
    const resources = Object.values((await this.getIntegration(integrationId)).resources);

    if (resourceType === undefined || resourceType === 'all') return resources;

    return resources.filter((resource) => resource.resource_type === resourceType);
  }

  async getResource(integrationId: string, resourceId: string): Promise<Resource> {
    const { resources } = await this.getIntegration(integrationId);
    const resource = Object.hasOwn(resources, resourceId) ? resources[resourceId] : undefined;

    if (resource === undefined) throw new NotFoundError('resource', resourceId);

    return resource;
  }
}
