import type { Integration } from '@beaker-integrations/model';
import { DATATYPE_LABELS, DATATYPE_OPTIONS } from '../datatypes.js';
import { memo, useDeferredValue, useMemo, useRef } from 'react';

import { providerViews, useApp } from '../app-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { filterRows, providerNames, toRows, type ListRow } from '../list-filter.js';
import { Link, replaceQuery, useLocation, useFocusAfterNavigation } from '../router.js';
import { useAsync } from '../use-async.js';

/** The last listing per session, revalidated with its ETag on the next visit. */
const listingCache = new Map<string, { etag: string; integrations: Record<string, Integration> }>();

export function ListView() {
  const { client, sessionId, providers } = useApp();
  const { query } = useLocation();
  const filter = {
    query: query.get('q') ?? '',
    provider: query.get('provider') ?? '',
    datatype: query.get('datatype') ?? '',
  };
  const deferredQuery = useDeferredValue(filter.query);
  const heading = useRef<HTMLHeadingElement>(null);

  const { state, reload } = useAsync(async () => {
    const cached = listingCache.get(sessionId);
    const listing = await client.listIntegrations({
      view: 'summary',
      ...(cached ? { ifNoneMatch: cached.etag } : {}),
    });

    if (listing.notModified) return cached!.integrations;
    if (listing.etag !== undefined) {
      listingCache.set(sessionId, { etag: listing.etag, integrations: listing.integrations });
    }

    return listing.integrations;
  }, [client, sessionId]);

  const integrations = state.status === 'ready' ? state.value : undefined;
  const rows = useMemo(
    () => (integrations ? toRows(integrations, providerNames(providers ?? {})) : []),
    [integrations, providers],
  );
  const visibleRows = useMemo(
    () => filterRows(rows, { ...filter, query: deferredQuery }),
    [rows, deferredQuery, filter.provider, filter.datatype],
  );
  const canCreate = providerViews(providers).some((provider) => provider.mutable);

  useFocusAfterNavigation(heading);

  return (
    <>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Integrations
        </h1>
        {canCreate && (
          <Link to={{ name: 'create' }} className="button primary">
            New integration
          </Link>
        )}
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="field grow">
          <span>Search</span>
          <input
            type="search"
            value={filter.query}
            placeholder="Name, slug or description"
            onChange={(event) => replaceQuery({ q: event.target.value })}
          />
        </label>
        <label className="field">
          <span>Provider</span>
          <select
            value={filter.provider}
            onChange={(event) => replaceQuery({ provider: event.target.value })}
          >
            <option value="">All providers</option>
            {providerViews(providers).map((provider) => (
              <option key={provider.key} value={provider.key}>
                {provider.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Data type</span>
          <select
            value={filter.datatype}
            onChange={(event) => replaceQuery({ datatype: event.target.value })}
          >
            <option value="">All data types</option>
            {DATATYPE_OPTIONS.map((datatype) => (
              <option key={datatype} value={datatype}>
                {DATATYPE_LABELS[datatype]}
              </option>
            ))}
          </select>
        </label>
      </form>

      {state.status === 'error' && (
        <ErrorBanner error={state.error} context={{ subject: 'list' }}>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </ErrorBanner>
      )}
      {state.status === 'loading' && <p className="muted">Loading integrations…</p>}
      {state.status === 'ready' && (
        <>
          <p className="result-count" role="status" aria-live="polite">
            {countText(visibleRows.length, rows.length)}
          </p>
          {visibleRows.length === 0 ? (
            <p className="empty">
              {rows.length === 0
                ? 'This session has no integrations yet.'
                : 'No integration matches. Clear the search or choose other filters.'}
            </p>
          ) : (
            <ul className="integration-list">
              {visibleRows.map((row) => (
                <IntegrationRow key={row.uuid} row={row} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function countText(visible: number, total: number): string {
  const noun = total === 1 ? 'integration' : 'integrations';

  if (visible === total) return `${total.toLocaleString('en')} ${noun}`;

  return `Showing ${visible.toLocaleString('en')} of ${total.toLocaleString('en')} ${noun}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const IntegrationRow = memo(function IntegrationRow({ row }: { row: ListRow }) {
  return (
    <li className="integration-row">
      <div className="row-title">
        <h2>
          <Link to={{ name: 'integration', id: row.uuid }}>{row.name}</Link>
        </h2>
        <span className="counts">
          {plural(row.files, 'file')} · {plural(row.examples, 'example')}
        </span>
      </div>
      <p className="row-meta">
        <span className="badge">{row.providerName}</span>
        <span className={`badge datatype-${row.datatype}`}>{DATATYPE_LABELS[row.datatype]}</span>
        <code className="slug">{row.slug}</code>
      </p>
      {row.snippet !== '' && <p className="snippet">{row.snippet}</p>}
    </li>
  );
});
