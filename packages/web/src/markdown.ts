import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** HTML that went through DOMPurify; the only kind the page injects as markup. */
export interface SanitizedHtml {
  readonly __html: string;
  readonly sanitized: true;
}

let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;

  // Links in descriptions point away from the page: open them in a new tab
  // without giving that tab a handle on this one.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  hooksInstalled = true;
}

/**
 * Renders markdown (GitHub flavour) to HTML and sanitises it, so that stored
 * descriptions cannot run scripts: event-handler attributes, `<script>`,
 * `javascript:` URLs and inline styles are removed.
 */
export function renderMarkdown(text: string): SanitizedHtml {
  installHooks();

  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  const clean = DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_ATTR: ['style'],
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'],
  });

  return { __html: clean, sanitized: true };
}
