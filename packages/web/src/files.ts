/** A chosen file that is not valid UTF-8 text. */
export class NotTextError extends Error {
  constructor(readonly fileName: string) {
    super(`“${fileName}” is not UTF-8 text, so it cannot be attached. Attach text files only.`);
  }
}

/**
 * Reads a whole file as UTF-8 text in one decode, so characters split across
 * read chunks stay intact. A byte-order mark is kept, as Python's `open()`
 * keeps it when Beaker reads the attachment.
 */
export async function readTextFile(file: Blob & { name: string }): Promise<string> {
  const bytes = await file.arrayBuffer();

  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new NotTextError(file.name);
  }
}

/**
 * Derives a template variable name from an uploaded file's name: the name
 * without its extension, with each character that cannot appear in a Jinja
 * name replaced by `_`.
 */
export function variableNameFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const name = stem.trim().replace(/[^\p{L}\p{N}_]/gu, '_');

  if (name === '') return 'file';

  return /^\p{N}/u.test(name) ? `_${name}` : name;
}

/** Returns the last segment of a file path, for the download's file name. */
export function baseName(filepath: string): string {
  const parts = filepath.split(/[\\/]/);

  return parts[parts.length - 1] || 'attachment.txt';
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;

  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Saves `text` as a UTF-8 file through the browser's download. */
export function downloadText(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');

  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
