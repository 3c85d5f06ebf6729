import { lazy, Suspense, type Ref } from 'react';

import type { CodeEditorHandle, CodeEditorProps } from './code-editor.js';

// CodeMirror is about half of the bundle; pages without an editor, such as
// the list, do not download it.
const CodeEditorChunk = lazy(async () => ({
  default: (await import('./code-editor.js')).CodeEditor,
}));

/** CodeEditor loaded on first use; a placeholder of the same height shows meanwhile. */
export function LazyCodeEditor(props: CodeEditorProps & { ref?: Ref<CodeEditorHandle> }) {
  return (
    <Suspense
      fallback={
        <div
          className="code-editor loading"
          style={{ ['--min-lines' as string]: String(props.minLines ?? 8) }}
        >
          Loading editor…
        </div>
      }
    >
      <CodeEditorChunk {...props} />
    </Suspense>
  );
}
