import { memo } from 'react';

import { renderMarkdown } from '../markdown.js';

/** Markdown shown as sanitised HTML; see renderMarkdown for what is removed. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  if (text.trim() === '') return <p className="muted">No description.</p>;

  return <div className="markdown" dangerouslySetInnerHTML={renderMarkdown(text)} />;
});
