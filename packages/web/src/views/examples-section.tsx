import type { ExampleResource, Integration } from '@beaker-integrations/model';
import { useId, useMemo, useState, type FormEvent } from 'react';

import { useApp } from '../app-context.js';
import { LazyCodeEditor as CodeEditor } from '../components/lazy-code-editor.js';
import { useConfirm } from '../components/confirm.js';
import { ErrorBanner, Notice } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { describeError, isStale } from '../errors.js';
import { useUnsavedChanges } from '../router.js';

interface ExamplesSectionProps {
  integration: Integration;
  /** ETag of the integration as shown; edits and deletes send it as If-Match. */
  etag: string | undefined;
  editable: boolean;
  onChanged(): void;
}

const NEW_EXAMPLE = 'new';

/** Query, code and notes examples of one integration: add, edit and delete. */
export function ExamplesSection({ integration, etag, editable, onChanged }: ExamplesSectionProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const examples = useMemo(
    () =>
      Object.values(integration.resources).filter(
        (resource): resource is ExampleResource => resource.resource_type === 'example',
      ),
    [integration],
  );

  const finish = (message: string | undefined, reload = false) => {
    setEditing(undefined);
    if (message !== undefined) {
      setStatus(message);
      setFailure(undefined);
    }
    if (message !== undefined || reload) onChanged();
  };

  const remove = async (example: ExampleResource) => {
    const confirmed = await confirm({
      title: 'Delete example?',
      message: <p>Delete the example “{example.query}”? This cannot be undone.</p>,
      confirmLabel: 'Delete example',
      danger: true,
    });

    if (!confirmed) return;

    try {
      await client.removeResource(integration.uuid, example.resource_id, { ifMatch: etag });
      finish('Deleted the example.');
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="examples-heading">
      <div className="panel-head">
        <h2 id="examples-heading">
          Examples <span className="count-badge">{examples.length}</span>
        </h2>
        {editable && editing !== NEW_EXAMPLE && (
          <button type="button" onClick={() => setEditing(NEW_EXAMPLE)}>
            Add example
          </button>
        )}
      </div>
      <p className="hint">
        A question a user asked, the code that answered it, and notes for the agent.
      </p>
      {status !== undefined && <Notice tone="success">{status}</Notice>}
      {failure !== undefined && <ErrorBanner error={failure} context={{ subject: 'example' }} />}
      {editing === NEW_EXAMPLE && (
        <ExampleForm integrationId={integration.uuid} etag={etag} onDone={finish} />
      )}
      {examples.length === 0 && editing !== NEW_EXAMPLE && (
        <p className="empty">No examples yet.</p>
      )}
      <ul className="resource-list">
        {examples.map((example) =>
          editing === example.resource_id ? (
            <li key={example.resource_id} className="resource">
              <ExampleForm
                integrationId={integration.uuid}
                etag={etag}
                example={example}
                onDone={finish}
              />
            </li>
          ) : (
            <li key={example.resource_id} className="resource example">
              <div className="resource-row">
                <h3 className="example-query">{example.query}</h3>
                {editable && (
                  <div className="actions">
                    <button
                      type="button"
                      onClick={() => setEditing(example.resource_id)}
                      aria-label={`Edit example: ${example.query}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void remove(example)}
                      aria-label={`Delete example: ${example.query}`}
                    >
                      Delete
                    </button>
                  </div>
                )}
              </div>
              <pre className="code">
                <code>{example.code}</code>
              </pre>
              {example.notes !== null && example.notes.trim() !== '' && (
                <div className="notes">
                  <Markdown text={example.notes} />
                </div>
              )}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

interface ExampleFormProps {
  integrationId: string;
  etag: string | undefined;
  /** The example to edit; a new one is added when absent. */
  example?: ExampleResource;
  onDone(message: string | undefined, reload?: boolean): void;
}

function ExampleForm({ integrationId, etag, example, onDone }: ExampleFormProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const [query, setQuery] = useState(example?.query ?? '');
  const [code, setCode] = useState(example?.code ?? '');
  const [notes, setNotes] = useState(example?.notes ?? '');
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  const ids = { query: useId(), code: useId(), notes: useId() };
  const dirty =
    query !== (example?.query ?? '') ||
    code !== (example?.code ?? '') ||
    notes !== (example?.notes ?? '');
  const badField =
    failure === undefined ? undefined : describeError(failure, { subject: 'example' }).field;

  let submitLabel = example === undefined ? 'Add example' : 'Save example';

  if (saving) submitLabel = 'Saving…';

  useUnsavedChanges(dirty);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setFailure(undefined);

    const payload = {
      resource_type: 'example' as const,
      query,
      code,
      notes: notes.trim() === '' ? null : notes,
    };

    try {
      if (example === undefined) {
        await client.addResource(integrationId, payload);
        onDone('Added the example.');
      } else {
        await client.updateResource(integrationId, example.resource_id, payload, {
          ifMatch: etag,
        });
        onDone('Saved the example.');
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const cancel = async () => {
    if (
      dirty &&
      !(await confirm({
        title: 'Discard changes?',
        message: <p>This example has unsaved changes.</p>,
        confirmLabel: 'Discard changes',
        cancelLabel: 'Keep editing',
        danger: true,
      }))
    ) {
      return;
    }

    onDone(undefined);
  };

  return (
    <form
      className="inline-form"
      aria-label={example === undefined ? 'New example' : 'Edit example'}
      onSubmit={(event) => void save(event)}
    >
      {failure !== undefined && (
        <ErrorBanner error={failure} context={{ subject: 'example' }}>
          {isStale(failure) && (
            <button type="button" onClick={() => onDone(undefined, true)}>
              Reload and discard my edit
            </button>
          )}
        </ErrorBanner>
      )}
      <label className="field" htmlFor={ids.query}>
        <span>Query</span>
        <input
          id={ids.query}
          value={query}
          required
          placeholder="What the user asked"
          aria-invalid={badField === 'query'}
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      <div className="field">
        <span id={ids.code}>Code</span>
        <CodeEditor
          value={code}
          onChange={setCode}
          language="python"
          labelledBy={ids.code}
          invalid={badField === 'code'}
          minLines={6}
        />
      </div>
      <label className="field" htmlFor={ids.notes}>
        <span>Notes (optional, markdown)</span>
        <textarea
          id={ids.notes}
          value={notes}
          rows={3}
          aria-invalid={badField === 'notes'}
          onChange={(event) => setNotes(event.target.value)}
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving || !dirty || query === ''}>
          {submitLabel}
        </button>
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
