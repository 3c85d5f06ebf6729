import { idRecord, type Integration, type RenderedIntegration } from '@beaker-integrations/model';
import { renderTemplate, type TemplateProblemKind } from '@beaker-integrations/template';

/** One problem of a render, with where it is: `source` or `example <resource id>`. */
export interface RenderProblem {
  where: string;
  kind: TemplateProblemKind;
  line: number;
  message: string;
}

export interface DetailedRender {
  uuid: string;
  source: string;
  examples: Record<string, string>;
  problems: RenderProblem[];
}

/**
 * Renders the agent's view of one integration: its `source` and every
 * example's `code`, with the file resources as template variables. A broken
 * template yields empty text and a problem naming the integration and line;
 * it never throws, so one bad integration cannot break a listing.
 */
export function renderIntegration(
  integration: Integration,
  resolveFile?: (path: string) => string | undefined,
): RenderedIntegration {
  const detailed = renderIntegrationDetailed(integration, resolveFile);

  return {
    uuid: detailed.uuid,
    source: detailed.source,
    examples: detailed.examples,
    problems: detailed.problems.map((problem) => describeProblem(integration, problem)),
  };
}

/** Renders like `renderIntegration` but keeps each problem's kind and location. */
export function renderIntegrationDetailed(
  integration: Integration,
  resolveFile?: (path: string) => string | undefined,
): DetailedRender {
  const variables = templateVariables(integration);
  const problems: RenderProblem[] = [];
  const options = resolveFile === undefined ? { variables } : { variables, resolveFile };

  const render = (template: string | null, where: string): string => {
    const result = renderTemplate(template ?? '', options);

    problems.push(...result.problems.map((problem) => ({ where, ...problem })));

    return result.text ?? '';
  };

  const source = render(integration.source, 'source');
  const examples = idRecord<string>();

  for (const resource of Object.values(integration.resources)) {
    if (resource.resource_type === 'example') {
      examples[resource.resource_id] = render(resource.code, `example ${resource.resource_id}`);
    }
  }

  return { uuid: integration.uuid, source, examples, problems };
}

export function describeProblem(integration: Integration, problem: RenderProblem): string {
  return `integration '${integration.name}' ${problem.where}, line ${problem.line}: ${problem.message}`;
}

/** File resources by `name`, in a prototype-free object so no inherited member is a variable. */
function templateVariables(integration: Integration): Record<string, string> {
  const variables = Object.create(null) as Record<string, string>;

  for (const resource of Object.values(integration.resources)) {
    if (resource.resource_type === 'file') variables[resource.name] = resource.content;
  }

  return variables;
}
