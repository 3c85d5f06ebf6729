import type { ExampleResource, Integration, RenderedIntegration } from '@beaker-integrations/model';
import { useState } from 'react';

import { ErrorBanner } from '../components/error-banner.js';
import type { AsyncState } from '../use-async.js';

interface PreviewPanelProps {
  integration: Integration;
  preview: AsyncState<RenderedIntegration>;
  onRefresh(): void;
  /** Shown above the preview, such as a note that unsaved edits are not in it. */
  note?: string | undefined;
}

/** Shows what the agent is given for one integration: rendered source, examples and problems. */
export function PreviewPanel({ integration, preview, onRefresh, note }: PreviewPanelProps) {
  const examples = Object.values(integration.resources).filter(
    (resource): resource is ExampleResource => resource.resource_type === 'example',
  );

  return (
    <section className="panel preview" aria-labelledby="preview-heading">
      <div className="panel-head">
        <h2 id="preview-heading">What the agent sees</h2>
        <button type="button" onClick={onRefresh}>
          Refresh preview
        </button>
      </div>
      {note !== undefined && <p className="hint">{note}</p>}
      {preview.status === 'loading' && <p className="muted">Rendering…</p>}
      {preview.status === 'error' && (
        <ErrorBanner error={preview.error} context={{ subject: 'preview' }} />
      )}
      {preview.status === 'ready' && (
        <>
          <ProblemList problems={preview.value.problems} />
          <h3>Documentation</h3>
          {preview.value.source.trim() === '' ? (
            <p className="muted">The source renders as empty text.</p>
          ) : (
            <LongText text={preview.value.source} testId="rendered-source" />
          )}
          {examples.length > 0 && <h3>Examples</h3>}
          {examples.map((example) => (
            <div key={example.resource_id} className="rendered-example">
              <p className="example-query">{example.query}</p>
              <LongText text={preview.value.examples[example.resource_id] ?? example.code} />
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function ProblemList({ problems }: { problems: string[] }) {
  if (problems.length === 0) {
    return <p className="ok-line">No template problems.</p>;
  }

  return (
    <div className="problems" role="region" aria-label="Template problems">
      <h3>
        {problems.length === 1 ? '1 problem' : `${problems.length} problems`} in the templates
      </h3>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}

/** Characters of rendered text shown before "Show all"; enough for any hand-written source. */
const SHOWN_CHARACTERS = 50_000;

/**
 * Rendered text in a <pre>. A source that includes a large attachment is cut
 * at first, because laying out hundreds of KB of text stalls the page.
 */
function LongText({ text, testId }: { text: string; testId?: string }) {
  const [whole, setWhole] = useState(false);
  const cut = !whole && text.length > SHOWN_CHARACTERS;

  return (
    <>
      <pre className="rendered" data-testid={testId}>
        {cut ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text}
      </pre>
      {cut && (
        <p className="hint">
          Showing the first {SHOWN_CHARACTERS.toLocaleString('en')} of{' '}
          {text.length.toLocaleString('en')} characters.{' '}
          <button type="button" className="link-button" onClick={() => setWhole(true)}>
            Show all
          </button>
        </p>
      )}
    </>
  );
}
