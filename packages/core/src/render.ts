import type { Integration, RenderedIntegration } from '@beaker-integrations/model';
import { renderTemplate, type TemplateProblem } from '@beaker-integrations/template';

/**
 * Renders what an agent sees of one integration: its `source` and every
 * example's `code`, with the file resources as template variables. A broken
 * template yields empty text and a problem naming the integration and line;
 * it never throws, so one bad integration cannot break a listing.
 */
export function renderIntegration(
  integration: Integration,
  resolveFile?: (path: string) => string | undefined,
): RenderedIntegration {
  const variables = templateVariables(integration);
  const problems: string[] = [];
  const options = resolveFile === undefined ? { variables } : { variables, resolveFile };

  const render = (template: string | null, where: string): string => {
    const result = renderTemplate(template ?? '', options);

    problems.push(...result.problems.map((problem) => describe(integration, where, problem)));

    return result.text ?? '';
  };

  const source = render(integration.source, 'source');
  const examples: Record<string, string> = {};

  for (const resource of Object.values(integration.resources)) {
    if (resource.resource_type === 'example') {
      examples[resource.resource_id] = render(resource.code, `example ${resource.resource_id}`);
    }
  }

  return { uuid: integration.uuid, source, examples, problems };
}

/** File resources by `name`, in a prototype-free object so no inherited member is a variable. */
function templateVariables(integration: Integration): Record<string, string> {
  const variables = Object.create(null) as Record<string, string>;

  for (const resource of Object.values(integration.resources)) {
    if (resource.resource_type === 'file') variables[resource.name] = resource.content;
  }

  return variables;
}

function describe(integration: Integration, where: string, problem: TemplateProblem): string {
  return `integration '${integration.name}' ${where}, line ${problem.line}: ${problem.message}`;
}
