import type { Integration } from '@beaker-integrations/model';

import type { IntegrationProvider } from './provider.js';

/** Maximum length, in characters, of each integration's description in the default prompt. */
const SUMMARY_LENGTH = 200;

/**
 * Builds the text an agent is given about a provider when the provider does
 * not override it: display name, description, prompt instructions, tool
 * names, and one line per integration.
 */
export function defaultPrompt(provider: IntegrationProvider, integrations: Integration[]): string {
  const sections = [`# ${provider.displayName}`];

  if (provider.description) sections.push(provider.description);
  if (provider.promptInstructions) sections.push(provider.promptInstructions);

  const tools = provider.tools ?? [];

  if (tools.length > 0) {
    sections.push(`Tools: ${tools.map((tool) => tool.name).join(', ')}`);
  }

  const lines = integrations.map(
    (integration) =>
      `- ${integration.name} (uuid ${integration.uuid}, ${integration.datatype}): ${summarize(integration.description)}`,
  );

  sections.push(['Integrations:', ...lines].join('\n'));

  return sections.join('\n\n');
}

function summarize(description: string): string {
  const oneLine = description.replace(/\s+/g, ' ').trim();

  if (oneLine.length <= SUMMARY_LENGTH) return oneLine;

  return `${oneLine.slice(0, SUMMARY_LENGTH - 1)}…`;
}
