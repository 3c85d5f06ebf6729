import { describeProblem, renderIntegrationDetailed } from '@beaker-integrations/core';
import { FsStore } from '@beaker-integrations/store-fs';

export type Severity = 'error' | 'warning';

export interface ValidationProblem {
  severity: Severity;
  location: string;
  message: string;
}

export interface ValidationReport {
  integrations: number;
  errors: number;
  warnings: number;
  problems: ValidationProblem[];
}

/**
 * Loads every folder of `roots` and renders every template. Skipped
 * folders, missing attachments, template errors and unresolved `{% file %}`
 * paths are errors; an undefined variable is a warning, because Jinja
 * renders it as empty text and real folders rely on that.
 */
export async function validateRoots(roots: string[]): Promise<ValidationReport> {
  const store = new FsStore({ roots });
  const loaded = await store.load();
  const problems: ValidationProblem[] = loaded.problems.map((problem) => ({
    severity: 'error',
    ...problem,
  }));
  const seen = new Map<string, string>();

  for (const integration of loaded.integrations) {
    const location = store.folderName?.(integration.uuid) ?? integration.slug;
    const first = seen.get(integration.uuid);

    if (first !== undefined) {
      problems.push({
        severity: 'error',
        location,
        message: `uuid ${integration.uuid} is also used by '${first}', which wins; this folder is skipped`,
      });
      continue;
    }

    seen.set(integration.uuid, location);

    const rendered = renderIntegrationDetailed(integration, (path) => store.resolveDataFile(path));

    for (const problem of rendered.problems) {
      const severity = problem.kind === 'undefined_variable' ? 'warning' : 'error';

      problems.push({ severity, location, message: describeProblem(integration, problem) });
    }
  }

  const errors = problems.filter((problem) => problem.severity === 'error').length;

  return { integrations: seen.size, errors, warnings: problems.length - errors, problems };
}
