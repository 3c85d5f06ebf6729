import type { Datatype } from '@beaker-integrations/model';
import { slugify } from '@beaker-integrations/model';
import { DATATYPE_LABELS, DATATYPE_OPTIONS } from '../datatypes.js';
import { useId, useRef, useState, type FormEvent } from 'react';

import { providerViews, useApp } from '../app-context.js';
import { ErrorBanner } from '../components/error-banner.js';
import { describeError } from '../errors.js';
import { Breadcrumbs } from './integration-view.js';
import { hrefFor, navigate, useUnsavedChanges, useFocusAfterNavigation } from '../router.js';

/** Renders the form that creates an integration on a mutable provider of the session. */
export function CreateView() {
  const { client, providers } = useApp();
  const writable = providerViews(providers).filter((provider) => provider.mutable);
  const [provider, setProvider] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [datatype, setDatatype] = useState<Datatype>('api');
  const [url, setUrl] = useState('');
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = {
    provider: useId(),
    name: useId(),
    datatype: useId(),
    url: useId(),
    description: useId(),
  };
  const slug = slugify(name);
  const chosen = provider !== '' ? provider : (writable[0]?.key ?? '');
  const problem =
    failure === undefined ? undefined : describeError(failure, { subject: 'integration', slug });

  useUnsavedChanges(!saving && (name !== '' || description !== '' || url !== ''));
  useFocusAfterNavigation(heading);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setFailure(undefined);

    try {
      const created = await client.addIntegration({
        provider: chosen,
        name,
        description,
        datatype,
        url: url.trim() === '' ? null : url.trim(),
        // Folders without a `source` key are skipped on load, so start with an empty one.
        source: '',
      });

      await navigate(hrefFor({ name: 'integration', id: created.value.uuid }), { replace: true });
    } catch (error) {
      setFailure(error);
      setSaving(false);
    }
  };

  return (
    <>
      <Breadcrumbs current="New integration" />
      <h1 ref={heading} tabIndex={-1}>
        New integration
      </h1>
      {providers !== undefined && writable.length === 0 ? (
        <p className="banner info" role="note">
          No provider of this session accepts new integrations: every one is read-only.
        </p>
      ) : (
        <form className="panel create-form" onSubmit={(event) => void create(event)}>
          {failure !== undefined && (
            <ErrorBanner error={failure} context={{ subject: 'integration', slug }} />
          )}
          {writable.length > 1 && (
            <label className="field" htmlFor={ids.provider}>
              <span>Provider</span>
              <select
                id={ids.provider}
                value={chosen}
                aria-invalid={problem?.field === 'provider'}
                onChange={(event) => setProvider(event.target.value)}
              >
                {writable.map((item) => (
                  <option key={item.key} value={item.key}>
                    {item.displayName}
                  </option>
                ))}
              </select>
            </label>
          )}
          {writable.length === 1 && (
            <p className="hint">
              Stored by <strong>{writable[0]!.displayName}</strong>.
            </p>
          )}
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input
              id={ids.name}
              name="name"
              value={name}
              required
              maxLength={200}
              aria-invalid={problem?.field === 'name' || problem?.field === 'slug'}
              aria-describedby={`${ids.name}-slug`}
              onChange={(event) => setName(event.target.value)}
            />
            <span className="hint" id={`${ids.name}-slug`}>
              {slug === '' ? (
                'The slug is derived from the name.'
              ) : (
                <>
                  Slug: <code>{slug}</code>
                </>
              )}
            </span>
          </div>
          <div className="field-row">
            <label className="field" htmlFor={ids.datatype}>
              <span>Data type</span>
              <select
                id={ids.datatype}
                value={datatype}
                onChange={(event) => setDatatype(event.target.value as Datatype)}
              >
                {DATATYPE_OPTIONS.map((value) => (
                  <option key={value} value={value}>
                    {DATATYPE_LABELS[value]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field grow" htmlFor={ids.url}>
              <span>URL (optional)</span>
              <input
                id={ids.url}
                inputMode="url"
                value={url}
                placeholder="https://…"
                aria-invalid={problem?.field === 'url'}
                onChange={(event) => setUrl(event.target.value)}
              />
            </label>
          </div>
          <label className="field" htmlFor={ids.description}>
            <span>Description (markdown)</span>
            <textarea
              id={ids.description}
              value={description}
              rows={5}
              aria-invalid={problem?.field === 'description'}
              onChange={(event) => setDescription(event.target.value)}
            />
          </label>
          <p className="hint">
            After creating it, upload its files and write its source on the next pages.
          </p>
          <div className="actions">
            <button type="submit" className="primary" disabled={saving || chosen === ''}>
              {saving ? 'Creating…' : 'Create integration'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
