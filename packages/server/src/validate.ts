import { renderIntegration } from '@beaker-integrations/core';
import { FsStore } from '@beaker-integrations/store-fs';

export interface ValidationReport {
  integrations: number;
  problems: { location: string; message: string }[];
}

/**
 * Loads every folder of `roots` and renders every template, collecting the
 * load problems (skipped folders, missing attachments) and the render
 * problems (undefined variables, unresolved files, template errors).
 */
export async function validateRoots(roots: string[]): Promise<ValidationReport> {
  const store = new FsStore({ roots });
  const loaded = await store.load();
  const problems = [...loaded.problems];
  const seen = new Map<string, string>();

  for (const integration of loaded.integrations) {
    const first = seen.get(integration.uuid);

    if (first !== undefined) {
      problems.push({
        location: integration.slug,
        message: `uuid ${integration.uuid} is also used by '${first}'`,
      });
      continue;
    }

    seen.set(integration.uuid, integration.slug);

    const rendered = renderIntegration(integration, (path) => store.resolveDataFile(path));

    for (const message of rendered.problems) problems.push({ location: integration.slug, message });
  }

  return { integrations: seen.size, problems };
}
