import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describeProblem, renderIntegrationDetailed } from '@beaker-integrations/core';
import type { Integration } from '@beaker-integrations/model';
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
 * paths are errors. An undefined variable is only a warning, because Jinja
 * renders it as empty text and real folders rely on that.
 */
export async function validateRoots(roots: string[]): Promise<ValidationReport> {
  const store = new FsStore({ roots });
  const loaded = await store.load();
  const problems: ValidationProblem[] = [
    ...missingRoots(roots).map((problem) => ({ severity: 'error' as const, ...problem })),
    ...loaded.problems.map((problem) => ({ severity: 'error' as const, ...problem })),
  ];
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

    problems.push(...duplicateFileNames(integration, location));

    for (const problem of rendered.problems) {
      const severity = problem.kind === 'undefined_variable' ? 'warning' : 'error';

      problems.push({ severity, location, message: describeProblem(integration, problem) });
    }
  }

  const errors = problems.filter((problem) => problem.severity === 'error').length;

  return { integrations: seen.size, errors, warnings: problems.length - errors, problems };
}

/** Roots that do not exist or hold no `specifications/` folder, which is usually a typo. */
export function missingRoots(roots: string[]): { location: string; message: string }[] {
  return roots
    .filter((root) => !existsSync(join(root, 'specifications')))
    .map((root) => ({
      location: root,
      message: existsSync(root)
        ? 'the data root has no specifications/ folder, so it holds no integrations'
        : 'the data root does not exist',
    }));
}

function duplicateFileNames(integration: Integration, location: string): ValidationProblem[] {
  const seen = new Set<string>();
  const problems: ValidationProblem[] = [];

  for (const resource of Object.values(integration.resources)) {
    if (resource.resource_type !== 'file') continue;

    if (seen.has(resource.name)) {
      problems.push({
        severity: 'error',
        location,
        message: `two file resources are named '${resource.name}', so the template variable is ambiguous; rename one`,
      });
    }

    seen.add(resource.name);
  }

  return problems;
}
