import type { Integration } from '@beaker-integrations/model';
import { useRef, useState } from 'react';

import { ownerOf, useApp, type ProviderView } from '../app-context.js';
import { useConfirm } from '../components/confirm.js';
import { DATATYPE_LABELS } from '../datatypes.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { hrefFor, Link, navigate, useFocusAfterNavigation } from '../router.js';
import { useAsync } from '../use-async.js';
import { ExamplesSection } from './examples-section.js';
import { FilesSection } from './files-section.js';
import { PreviewPanel } from './preview-panel.js';

/** Shows one integration with its fields, files, examples and the agent's view of it. */
export function IntegrationView({ id }: { id: string }) {
  const { client, providers } = useApp();
  const loaded = useAsync(() => client.getIntegration(id), [client, id]);
  const preview = useAsync(() => client.renderIntegration(id), [client, id]);

  const reload = () => {
    loaded.reload();
    preview.reload();
  };

  if (loaded.state.status === 'loading') return <p className="muted">Loading integration…</p>;

  if (loaded.state.status === 'error') {
    return (
      <>
        <Breadcrumbs />
        <ErrorBanner error={loaded.state.error} context={{ subject: 'integration' }}>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </ErrorBanner>
      </>
    );
  }

  const { value: integration, etag } = loaded.state.value;
  const owner = ownerOf(integration, providers);
  const editable = owner?.mutable === true;

  return (
    <>
      <Breadcrumbs current={integration.name} />
      <IntegrationHeader integration={integration} owner={owner} etag={etag} />
      {!editable && (
        <ReadOnlyNote integration={integration} owner={owner} loaded={providers !== undefined} />
      )}
      <div className="columns">
        <div className="main-column">
          <section className="panel" aria-labelledby="description-heading">
            <h2 id="description-heading">Description</h2>
            <Markdown text={integration.description} />
          </section>
          <Details integration={integration} owner={owner} />
          <FilesSection
            integration={integration}
            etag={etag}
            editable={editable}
            onChanged={reload}
          />
          <ExamplesSection
            integration={integration}
            etag={etag}
            editable={editable}
            onChanged={reload}
          />
        </div>
        <aside className="side-column">
          <PreviewPanel
            integration={integration}
            preview={preview.state}
            onRefresh={preview.reload}
          />
        </aside>
      </div>
    </>
  );
}

export function Breadcrumbs({
  current,
  trail,
}: {
  current?: string;
  trail?: { id: string; name: string };
}) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumbs">
      <Link to={{ name: 'list' }}>All integrations</Link>
      {trail && (
        <>
          <span aria-hidden="true"> / </span>
          <Link to={{ name: 'integration', id: trail.id }}>{trail.name}</Link>
        </>
      )}
      {current !== undefined && (
        <>
          <span aria-hidden="true"> / </span>
          <span aria-current="page">{current}</span>
        </>
      )}
    </nav>
  );
}

interface HeaderProps {
  integration: Integration;
  owner: ProviderView | undefined;
  etag: string | undefined;
}

function IntegrationHeader({ integration, owner, etag }: HeaderProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const heading = useRef<HTMLHeadingElement>(null);
  const [failure, setFailure] = useState<unknown>(undefined);

  useFocusAfterNavigation(heading);

  const remove = async () => {
    const confirmed = await confirm({
      title: 'Delete integration?',
      message: (
        <p>
          Delete “{integration.name}” with its files and examples? The service moves its folder to
          the trash folder, so whoever runs the service can restore it.
        </p>
      ),
      confirmLabel: 'Delete integration',
      danger: true,
    });

    if (!confirmed) return;

    try {
      await client.removeIntegration(integration.uuid, { ifMatch: etag });
      await navigate(hrefFor({ name: 'list' }), { replace: true });
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {integration.name}
          </h1>
          <p className="row-meta">
            <span className="badge">{owner?.displayName ?? integration.provider}</span>
            <span className={`badge datatype-${integration.datatype}`}>
              {DATATYPE_LABELS[integration.datatype]}
            </span>
            <code className="slug">{integration.slug}</code>
          </p>
        </div>
        {owner?.mutable && (
          <div className="actions">
            <Link to={{ name: 'edit', id: integration.uuid }} className="button primary">
              Edit
            </Link>
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete
            </button>
          </div>
        )}
      </div>
      {failure !== undefined && (
        <ErrorBanner error={failure} context={{ subject: 'integration' }} />
      )}
    </>
  );
}

export function ReadOnlyNote({
  integration,
  owner,
  loaded,
}: {
  integration: Integration;
  owner: ProviderView | undefined;
  loaded: boolean;
}) {
  if (!loaded) return null;

  const text =
    owner === undefined
      ? `This integration cannot be edited here: its provider “${integration.provider}” is not listed for this session.`
      : `This integration cannot be edited here: its provider “${owner.displayName}” is read-only. Change it where that provider stores it.`;

  return (
    <p className="banner info" role="note">
      {text}
    </p>
  );
}

function Details({
  integration,
  owner,
}: {
  integration: Integration;
  owner: ProviderView | undefined;
}) {
  return (
    <section className="panel" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="details">
        <dt>URL</dt>
        <dd>
          {integration.url ? (
            <a href={safeUrl(integration.url)} target="_blank" rel="noopener noreferrer">
              {integration.url}
            </a>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Provider</dt>
        <dd>
          {owner?.displayName ?? 'unknown'} <code>{integration.provider}</code>
        </dd>
        <dt>Slug</dt>
        <dd>
          <code>{integration.slug}</code>
        </dd>
        <dt>UUID</dt>
        <dd>
          <code>{integration.uuid}</code>
        </dd>
        <dt>Last updated</dt>
        <dd>{integration.last_updated ?? <span className="muted">not recorded</span>}</dd>
      </dl>
    </section>
  );
}

/** Keeps only http(s) links, so a stored `javascript:` URL cannot run when clicked. */
export function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);

    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
