import { markdown } from '@codemirror/lang-markdown';
import { python } from '@codemirror/lang-python';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export type EditorLanguage = 'markdown' | 'python' | 'text';

export interface CodeEditorProps {
  value: string;
  onChange(value: string): void;
  language: EditorLanguage;
  /** Id of the visible label element; CodeMirror's editable area is not a form control. */
  labelledBy: string;
  /** Id given to the editable area, so a problem message can point at it. */
  id?: string;
  invalid?: boolean;
  minLines?: number;
}

export interface CodeEditorHandle {
  /** Replaces the selection with `text` and puts the cursor after it. */
  insert(text: string): void;
  focus(): void;
}

function languageExtension(language: EditorLanguage): Extension {
  if (language === 'markdown') return markdown();
  if (language === 'python') return python();

  return [];
}

/** A CodeMirror 6 editor bound to a string value. */
export const CodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(
  { value, onChange, language, labelledBy, id, invalid = false, minLines = 8 },
  handle,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const onChangeRef = useRef(onChange);

  onChangeRef.current = onChange;

  useEffect(() => {
    const attributes: Record<string, string> = { 'aria-labelledby': labelledBy };

    if (id !== undefined) attributes.id = id;

    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          languageExtension(language),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of(attributes),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });

    view.current = editor;

    return () => {
      editor.destroy();
      view.current = undefined;
    };
    // The editor is built once per language; value changes are applied below.
  }, [language, labelledBy, id]);

  // A value set from outside (a reload) replaces the document.
  useEffect(() => {
    const editor = view.current;

    if (editor === undefined) return;

    const current = editor.state.doc.toString();

    if (current !== value) {
      editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
    }
  }, [value]);

  useImperativeHandle(handle, () => ({
    insert(text: string) {
      const editor = view.current;

      if (editor === undefined) return;

      editor.dispatch(editor.state.replaceSelection(text));
      editor.focus();
    },
    focus() {
      view.current?.focus();
    },
  }));

  return (
    <div
      ref={host}
      className={`code-editor${invalid ? ' invalid' : ''}`}
      style={{ ['--min-lines' as string]: String(minLines) }}
    />
  );
});
