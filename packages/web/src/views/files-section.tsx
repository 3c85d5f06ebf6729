import type { FileResource, Integration } from '@beaker-integrations/model';
import { useId, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';

import { useApp } from '../app-context.js';
import { LazyCodeEditor as CodeEditor } from '../components/lazy-code-editor.js';
import { useConfirm } from '../components/confirm.js';
import { ErrorBanner, Notice } from '../components/error-banner.js';
import { describeError, isStale } from '../errors.js';
import {
  baseName,
  downloadText,
  formatBytes,
  NotTextError,
  readTextFile,
  utf8Length,
  variableNameFor,
} from '../files.js';
import { useUnsavedChanges } from '../router.js';

interface FilesSectionProps {
  integration: Integration;
  /** ETag of the integration as shown; edits and deletes send it as If-Match. */
  etag: string | undefined;
  editable: boolean;
  /** Reloads the integration after a write. */
  onChanged(): void;
}

export function fileResources(integration: Integration): FileResource[] {
  return Object.values(integration.resources)
    .filter((resource): resource is FileResource => resource.resource_type === 'file')
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Lists the integration's attachments, with upload, edit, download and delete. */
export function FilesSection({ integration, etag, editable, onChanged }: FilesSectionProps) {
  const files = useMemo(() => fileResources(integration), [integration]);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const { client } = useApp();
  const confirm = useConfirm();

  const remove = async (file: FileResource) => {
    const confirmed = await confirm({
      title: 'Delete file?',
      message: (
        <p>
          Delete “{file.name}” ({file.filepath})? Templates that use{' '}
          <code>{`{{ ${file.name} }}`}</code> will render it as empty text.
        </p>
      ),
      confirmLabel: 'Delete file',
      danger: true,
    });

    if (!confirmed) return;

    setFailure(undefined);

    try {
      await client.removeResource(integration.uuid, file.resource_id, { ifMatch: etag });
      setStatus(`Deleted “${file.name}”.`);
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="files-heading">
      <div className="panel-head">
        <h2 id="files-heading">
          Files <span className="count-badge">{files.length}</span>
        </h2>
        {editable && (
          <FileUpload
            integration={integration}
            files={files}
            etag={etag}
            onStatus={(text) => {
              setStatus(text);
              setFailure(undefined);
            }}
            onFailure={setFailure}
            onChanged={onChanged}
          />
        )}
      </div>
      <p className="hint">
        Each file is a template variable: <code>{'{{ name }}'}</code> in the source inserts its
        text.
      </p>
      {status !== undefined && <Notice tone="success">{status}</Notice>}
      {failure !== undefined && <ErrorBanner error={failure} context={{ subject: 'file' }} />}
      {files.length === 0 ? (
        <p className="empty">No files yet.</p>
      ) : (
        <ul className="resource-list">
          {files.map((file) => (
            <li key={file.resource_id} className="resource">
              <div className="resource-row">
                <div className="resource-title">
                  <strong>{file.name}</strong>
                  <code>{file.filepath}</code>
                  <span className="muted">{formatBytes(utf8Length(file.content))}</span>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    onClick={() => downloadText(baseName(file.filepath), file.content)}
                    aria-label={`Download ${file.name}`}
                  >
                    Download
                  </button>
                  {editable && editing !== file.resource_id && (
                    <button
                      type="button"
                      onClick={() => setEditing(file.resource_id)}
                      aria-label={`Edit ${file.name}`}
                    >
                      Edit
                    </button>
                  )}
                  {editable && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void remove(file)}
                      aria-label={`Delete ${file.name}`}
                    >
                      Delete
                    </button>
                  )}
                </div>
              </div>
              {editing === file.resource_id && (
                <FileEditor
                  integrationId={integration.uuid}
                  etag={etag}
                  file={file}
                  onDone={(saved, reload) => {
                    setEditing(undefined);
                    if (saved !== undefined) setStatus(`Saved “${saved}”.`);
                    if (saved !== undefined || reload) onChanged();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface FileUploadProps {
  integration: Integration;
  files: FileResource[];
  etag: string | undefined;
  onStatus(text: string): void;
  onFailure(error: unknown): void;
  onChanged(): void;
}

function FileUpload({ integration, files, etag, onStatus, onFailure, onChanged }: FileUploadProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const [busy, setBusy] = useState(false);

  const upload = async (chosen: File) => {
    const content = await readTextFile(chosen);
    const existing = files.find((file) => file.filepath === chosen.name);

    if (existing !== undefined) {
      const replace = await confirm({
        title: 'Replace file?',
        message: (
          <p>
            “{existing.name}” is already stored as {existing.filepath}. Replace its content with the
            chosen file?
          </p>
        ),
        confirmLabel: 'Replace content',
      });

      if (!replace) return undefined;

      await client.updateResource(
        integration.uuid,
        existing.resource_id,
        { resource_type: 'file', content },
        { ifMatch: etag },
      );

      return `Replaced the content of “${existing.name}”.`;
    }

    const name = uniqueName(
      variableNameFor(chosen.name),
      files.map((file) => file.name),
    );

    await client.addResource(integration.uuid, {
      resource_type: 'file',
      name,
      filepath: chosen.name,
      content,
    });

    return `Uploaded “${chosen.name}” as {{ ${name} }}.`;
  };

  const onChoose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);

    event.target.value = '';
    if (chosen.length === 0) return;

    setBusy(true);
    const done: string[] = [];

    try {
      for (const file of chosen) {
        const result = await upload(file);

        if (result !== undefined) done.push(result);
      }
      if (done.length > 0) onStatus(done.join(' '));
    } catch (error) {
      if (done.length > 0) onStatus(done.join(' '));
      onFailure(error instanceof NotTextError ? new Error(error.message) : error);
    } finally {
      setBusy(false);
      if (done.length > 0) onChanged();
    }
  };

  return (
    <label className={`button file-picker${busy ? ' busy' : ''}`}>
      {busy ? 'Uploading…' : 'Upload text files'}
      <input
        type="file"
        multiple
        disabled={busy}
        onChange={(event) => void onChoose(event)}
        aria-label="Upload text files"
      />
    </label>
  );
}

function uniqueName(name: string, usedNames: string[]): string {
  if (!usedNames.includes(name)) return name;

  let index = 2;

  while (usedNames.includes(`${name}_${index}`)) index += 1;

  return `${name}_${index}`;
}

interface FileEditorProps {
  integrationId: string;
  etag: string | undefined;
  file: FileResource;
  /** Called with the saved name, or undefined when editing was cancelled. */
  onDone(saved: string | undefined, reload?: boolean): void;
}

function FileEditor({ integrationId, etag, file, onDone }: FileEditorProps) {
  const { client } = useApp();
  const confirm = useConfirm();
  const [name, setName] = useState(file.name);
  const [filepath, setFilepath] = useState(file.filepath);
  const [content, setContent] = useState(file.content);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  const ids = { name: useId(), path: useId(), content: useId() };
  const dirty = name !== file.name || filepath !== file.filepath || content !== file.content;
  const badField =
    failure === undefined ? undefined : describeError(failure, { subject: 'file' }).field;

  useUnsavedChanges(dirty);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setFailure(undefined);

    try {
      const changes = {
        ...(name !== file.name ? { name } : {}),
        ...(filepath !== file.filepath ? { filepath } : {}),
        ...(content !== file.content ? { content } : {}),
      };

      await client.updateResource(
        integrationId,
        file.resource_id,
        { resource_type: 'file', ...changes },
        { ifMatch: etag },
      );
      onDone(name);
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
        message: <p>Your changes to “{file.name}” have not been saved.</p>,
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
    <form className="inline-form" onSubmit={(event) => void save(event)}>
      {failure !== undefined && (
        <ErrorBanner error={failure} context={{ subject: 'file' }}>
          {isStale(failure) && (
            <button type="button" onClick={() => onDone(undefined, true)}>
              Reload and discard my edit
            </button>
          )}
        </ErrorBanner>
      )}
      <div className="field-row">
        <label className="field grow" htmlFor={ids.name}>
          <span>Variable name</span>
          <input
            id={ids.name}
            value={name}
            required
            aria-invalid={badField === 'name'}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label className="field grow" htmlFor={ids.path}>
          <span>File path in attachments/</span>
          <input
            id={ids.path}
            value={filepath}
            required
            aria-invalid={badField === 'filepath'}
            onChange={(event) => setFilepath(event.target.value)}
          />
        </label>
      </div>
      <div className="field">
        <span id={ids.content}>Content</span>
        <CodeEditor
          value={content}
          onChange={setContent}
          language={filepath.endsWith('.md') ? 'markdown' : 'text'}
          labelledBy={ids.content}
          invalid={badField === 'content'}
          minLines={10}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save file'}
        </button>
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
