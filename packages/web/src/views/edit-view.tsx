import type { Datatype, Integration } from '@beaker-integrations/model';
import { DATATYPE_LABELS, DATATYPE_OPTIONS } from '../datatypes.js';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

import { ownerOf, useApp } from '../app-context.js';
import type { CodeEditorHandle } from '../components/code-editor.js';
import { LazyCodeEditor as CodeEditor } from '../components/lazy-code-editor.js';
import { useConfirm } from '../components/confirm.js';
import { ErrorBanner, Notice } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { describeError, isStale } from '../errors.js';
import { Link, useUnsavedChanges, useFocusAfterNavigation } from '../router.js';
import { useAsync } from '../use-async.js';
import { fileResources } from './files-section.js';
import { Breadcrumbs, ReadOnlyNote } from './integration-view.js';
import { PreviewPanel } from './preview-panel.js';

interface Draft {
  name: string;
  description: string;
  datatype: Datatype;
  url: string;
  source: string;
}

function draftOf(integration: Integration): Draft {
  return {
    name: integration.name,
    description: integration.description,
    datatype: integration.datatype,
    url: integration.url ?? '',
    source: integration.source ?? '',
  };
}

function sameDraft(a: Draft, b: Draft): boolean {
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.datatype === b.datatype &&
    a.url === b.url &&
    a.source === b.source
  );
}

/** Renders the edit form of one integration with its fields, source template and preview. */
export function EditView({ id }: { id: string }) {
  const { client, providers } = useApp();
  const loaded = useAsync(() => client.getIntegration(id), [client, id]);

  if (loaded.state.status === 'loading') return <p className="muted">Loading integration…</p>;

  if (loaded.state.status === 'error') {
    return (
      <>
        <Breadcrumbs />
        <ErrorBanner error={loaded.state.error} context={{ subject: 'integration' }}>
          <button type="button" onClick={loaded.reload}>
            Try again
          </button>
        </ErrorBanner>
      </>
    );
  }

  const { value: integration } = loaded.state.value;
  const owner = ownerOf(integration, providers);

  if (owner?.mutable !== true) {
    return (
      <>
        <Breadcrumbs trail={{ id, name: integration.name }} current="Edit" />
        <h1 tabIndex={-1}>{integration.name}</h1>
        <ReadOnlyNote integration={integration} owner={owner} loaded={providers !== undefined} />
      </>
    );
  }

  return <EditForm loaded={loaded.state.value} onLoaded={loaded.set} onReload={loaded.reload} />;
}

interface EditFormProps {
  loaded: { value: Integration; etag: string | undefined };
  onLoaded(value: { value: Integration; etag: string | undefined }): void;
  onReload(): void;
}

function EditForm({ loaded, onLoaded, onReload }: EditFormProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const integration = loaded.value;
  const saved = draftOf(integration);
  const [draft, setDraft] = useState<Draft>(saved);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [savedAt, setSavedAt] = useState<Date | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [showDescription, setShowDescription] = useState(false);
  const preview = useAsync(() => client.renderIntegration(integration.uuid), [client, loaded.etag]);
  const editor = useRef<CodeEditorHandle>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = {
    name: useId(),
    datatype: useId(),
    url: useId(),
    description: useId(),
    source: useId(),
  };
  const dirty = !sameDraft(draft, saved);
  const problem =
    failure === undefined ? undefined : describeError(failure, errorContext(integration));
  const variables = fileResources(integration).map((file) => file.name);

  useUnsavedChanges(dirty);
  useFocusAfterNavigation(heading);

  // A newly loaded or saved version replaces the draft.
  useEffect(() => {
    setDraft(draftOf(loaded.value));
    setFailure(undefined);
  }, [loaded]);

  const update = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((previous) => ({ ...previous, [key]: value }));

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;

    setSaving(true);
    setFailure(undefined);

    try {
      const result = await client.updateIntegration(
        integration.uuid,
        {
          name: draft.name,
          description: draft.description,
          datatype: draft.datatype,
          url: draft.url.trim() === '' ? null : draft.url.trim(),
          source: draft.source,
        },
        { ifMatch: loaded.etag },
      );

      setSavedAt(new Date());
      // The saved version becomes the draft's base, and its new ETag refreshes the preview.
      onLoaded(result);
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const reloadLatest = async () => {
    const discard = await confirm({
      title: 'Reload the latest version?',
      message: (
        <p>
          Reloading shows the version someone else saved and discards your unsaved changes. Copy
          anything you want to keep first.
        </p>
      ),
      confirmLabel: 'Reload and discard my changes',
      cancelLabel: 'Keep my changes',
      danger: true,
    });

    if (discard) onReload();
  };

  // Ctrl+S / Cmd+S saves, as in most editors.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    }
  };

  return (
    <>
      <Breadcrumbs trail={{ id: integration.uuid, name: integration.name }} current="Edit" />
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Edit “{integration.name}”
        </h1>
      </div>

      <form className="edit-form" onSubmit={(event) => void save(event)} onKeyDown={onKeyDown}>
        {failure !== undefined && (
          <ErrorBanner error={failure} context={errorContext(integration)}>
            {isStale(failure) && (
              <button type="button" onClick={() => void reloadLatest()}>
                Reload latest version
              </button>
            )}
          </ErrorBanner>
        )}
        {savedAt !== undefined && !dirty && failure === undefined && (
          <Notice tone="success">Saved at {savedAt.toLocaleTimeString()}.</Notice>
        )}

        <div className="columns">
          <div className="main-column">
            <section className="panel" aria-label="Fields">
              <div className="field-row">
                <label className="field grow" htmlFor={ids.name}>
                  <span>Name</span>
                  <input
                    id={ids.name}
                    name="name"
                    value={draft.name}
                    required
                    maxLength={200}
                    aria-invalid={problem?.field === 'name'}
                    onChange={(event) => update('name', event.target.value)}
                  />
                </label>
                <label className="field" htmlFor={ids.datatype}>
                  <span>Data type</span>
                  <select
                    id={ids.datatype}
                    name="datatype"
                    value={draft.datatype}
                    aria-invalid={problem?.field === 'datatype'}
                    onChange={(event) => update('datatype', event.target.value as Datatype)}
                  >
                    {DATATYPE_OPTIONS.map((datatype) => (
                      <option key={datatype} value={datatype}>
                        {DATATYPE_LABELS[datatype]}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <label className="field" htmlFor={ids.url}>
                <span>URL (optional)</span>
                <input
                  id={ids.url}
                  name="url"
                  inputMode="url"
                  value={draft.url}
                  placeholder="https://…"
                  aria-invalid={problem?.field === 'url'}
                  onChange={(event) => update('url', event.target.value)}
                />
              </label>
              <div className="field">
                <div className="label-row">
                  <label htmlFor={ids.description}>Description (markdown)</label>
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={showDescription}
                    onClick={() => setShowDescription((value) => !value)}
                  >
                    {showDescription ? 'Hide formatted' : 'Show formatted'}
                  </button>
                </div>
                <textarea
                  id={ids.description}
                  name="description"
                  value={draft.description}
                  rows={5}
                  aria-invalid={problem?.field === 'description'}
                  onChange={(event) => update('description', event.target.value)}
                />
                {showDescription && (
                  <div className="formatted">
                    <Markdown text={draft.description} />
                  </div>
                )}
              </div>
            </section>

            <section className="panel" aria-labelledby={ids.source}>
              <div className="panel-head">
                <h2 id={ids.source}>Source (agent documentation template)</h2>
              </div>
              <div className="source-layout">
                <CodeEditor
                  ref={editor}
                  value={draft.source}
                  onChange={(value) => update('source', value)}
                  language="markdown"
                  labelledBy={ids.source}
                  invalid={problem?.field === 'source'}
                  minLines={18}
                />
                <VariableList
                  variables={variables}
                  onInsert={(name) => editor.current?.insert(`{{ ${name} }}`)}
                />
              </div>
            </section>
          </div>

          <aside className="side-column">
            <PreviewPanel
              integration={integration}
              preview={preview.state}
              onRefresh={preview.reload}
              note={
                dirty
                  ? 'The preview shows the saved version. Save to see your changes here.'
                  : undefined
              }
            />
          </aside>
        </div>

        <div className="save-bar">
          <button type="submit" className="primary" disabled={saving || !dirty}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
          <Link to={{ name: 'integration', id: integration.uuid }} className="button">
            {dirty ? 'Cancel' : 'Done'}
          </Link>
          <span className="muted save-state" aria-live="polite">
            {dirty ? 'Unsaved changes' : 'All changes saved'}
          </span>
        </div>
      </form>
    </>
  );
}

function errorContext(integration: Integration) {
  return { subject: 'integration' as const, slug: integration.slug };
}

function VariableList({
  variables,
  onInsert,
}: {
  variables: string[];
  onInsert(name: string): void;
}) {
  return (
    <div className="variables" role="region" aria-label="Template variables">
      <h3>Variables</h3>
      {variables.length === 0 ? (
        <p className="hint">
          No files yet. Upload files on the integration page; each becomes a variable.
        </p>
      ) : (
        <>
          <p className="hint">Insert a file&apos;s text at the cursor:</p>
          <ul>
            {variables.map((name) => (
              <li key={name}>
                <button type="button" className="variable" onClick={() => onInsert(name)}>
                  {`{{ ${name} }}`}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="hint">
        <code>{'{% file PATH %}'}</code> inserts the path of a file in the data folder.
      </p>
    </div>
  );
}
