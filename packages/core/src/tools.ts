import { InvalidInputError, requireObject, type ResourceCreate } from '@beaker-integrations/model';

import type { MutableIntegrationProvider, ProviderTool } from './provider.js';

/** Tool that lets an agent record a worked example on one integration. */
export function addExampleTool(provider: MutableIntegrationProvider): ProviderTool {
  return {
    name: 'add_example',
    description:
      'Add a worked example (the question asked and the code that answered it) to an integration.',
    inputSchema: {
      type: 'object',
      properties: {
        integration_id: { type: 'string', description: 'uuid of the integration' },
        query: { type: 'string', description: 'The question the code answers' },
        code: { type: 'string', description: 'Code that answers the question' },
        notes: { type: 'string', description: 'Caveats or context, optional' },
      },
      required: ['integration_id', 'query', 'code'],
      additionalProperties: false,
    },
    async run(input: unknown) {
      const { integration_id: integrationId, ...example } = requireObject(input, 'input');

      if (typeof integrationId !== 'string') {
        throw new InvalidInputError('integration_id', 'integration_id must be the uuid string');
      }

      // The provider validates query, code and notes like any other payload.
      const payload = { ...example, resource_type: 'example' } as ResourceCreate;

      return provider.addResource(integrationId, payload);
    },
  };
}
