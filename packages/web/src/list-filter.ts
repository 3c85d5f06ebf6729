import type { Datatype, Integration, ProviderInfo } from '@beaker-integrations/model';

/** One row of the list, with everything the filters need computed once. */
export interface ListRow {
  uuid: string;
  name: string;
  slug: string;
  provider: string;
  providerName: string;
  datatype: Datatype;
  snippet: string;
  files: number;
  examples: number;
  /** Name, slug and description, folded for matching. */
  haystack: string;
}

export interface ListFilter {
  query: string;
  provider: string;
  datatype: string;
}

const SNIPPET_LENGTH = 180;

/** Lower-cases and removes diacritics, so "unicode" matches "Ünïcödé". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Extracts the first words of a markdown text as plain text, cheap enough for 1,000 rows. */
export function plainSnippet(markdown: string, length = SNIPPET_LENGTH): string {
  const plain = markdown
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`|~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

  if (plain.length <= length) return plain;

  const cut = plain.lastIndexOf(' ', length);

  return `${plain.slice(0, cut > length / 2 ? cut : length)}…`;
}

/** Maps each `type:slug` key of integrations' `provider` field to its display name. */
export function providerNames(providers: Record<string, ProviderInfo>): Map<string, string> {
  const names = new Map<string, string>();

  for (const [slug, info] of Object.entries(providers)) {
    names.set(`${info.provider_type}:${slug}`, info.display_name);
  }

  return names;
}

export function toRows(
  integrations: Record<string, Integration>,
  names: Map<string, string>,
): ListRow[] {
  const rows = Object.values(integrations).map((integration) => {
    const resources = Object.values(integration.resources ?? {});
    const description = integration.description ?? '';

    return {
      uuid: integration.uuid,
      name: integration.name,
      slug: integration.slug,
      provider: integration.provider,
      providerName: names.get(integration.provider) ?? integration.provider,
      datatype: integration.datatype,
      snippet: plainSnippet(description),
      files: resources.filter((resource) => resource.resource_type === 'file').length,
      examples: resources.filter((resource) => resource.resource_type === 'example').length,
      haystack: foldText(`${integration.name}\n${integration.slug}\n${description}`),
    };
  });

  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.uuid.localeCompare(b.uuid));
}

/** Rows matching every word of the query and the chosen provider and datatype. */
export function filterRows(rows: readonly ListRow[], filter: ListFilter): ListRow[] {
  const words = foldText(filter.query).split(/\s+/).filter(Boolean);

  return rows.filter(
    (row) =>
      (filter.provider === '' || row.provider === filter.provider) &&
      (filter.datatype === '' || row.datatype === filter.datatype) &&
      words.every((word) => row.haystack.includes(word)),
  );
}
