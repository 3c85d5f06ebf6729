import { isScalar, visit } from 'yaml';

import { parseYaml } from './yaml-schema.js';

/** A block scalar's header: style, optional indentation digit, optional chomping, in either order. */
const BLOCK_HEADER = /^([|>])([1-9]?)([+-]?)([1-9]?)/;

interface BlockScalar {
  /** Offset of the header (`|` or `>`). */
  header: number;
  value: unknown;
}

/**
 * Returns `text` ending with a line break and read by PyYAML as before. When
 * a literal or folded block runs to the end of a file without a final break,
 * PyYAML reads no line feed at its end, but the `yaml` package and the text
 * with a break added do. So a last line of only spaces that adds nothing to
 * the block is dropped, and a last line of content gets the strip indicator
 * in its block's header (`|` becomes `|-`).
 */
export function withFinalBreak(text: string): string {
  if (text === '' || text.endsWith('\n')) return text;

  const block = blockEndingAt(text);

  if (block === undefined) return `${text}\n`;

  const lastLineStart = text.lastIndexOf('\n') + 1;

  if (lastLineStart > 0 && text.slice(lastLineStart).trim() === '') {
    const shorter = text.slice(0, lastLineStart);

    if (blockAt(shorter, block.header)?.value === block.value) return shorter;
  }

  return `${withStripHeader(text, block.header)}\n`;
}

/** Finds the block scalar whose content runs to the end of `text`, if there is one. */
function blockEndingAt(text: string): BlockScalar | undefined {
  return findBlock(text, (range) => range[1] === text.length);
}

function blockAt(text: string, header: number): BlockScalar | undefined {
  return findBlock(text, (range) => range[0] === header);
}

function findBlock(
  text: string,
  matches: (range: readonly [number, number, number]) => boolean,
): BlockScalar | undefined {
  const { document } = parseYaml(text);
  let found: BlockScalar | undefined;

  visit(document, {
    Scalar(_key, node) {
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';

      if (isScalar(node) && block && node.range && matches(node.range)) {
        found = { header: node.range[0], value: node.value };
      }
    },
  });

  return found;
}

function withStripHeader(text: string, header: number): string {
  const match = BLOCK_HEADER.exec(text.slice(header));

  if (match === null) return text;

  const [whole, style, digitBefore, , digitAfter] = match as unknown as string[];
  const stripped = `${style ?? ''}${digitBefore || digitAfter || ''}-`;

  return `${text.slice(0, header)}${stripped}${text.slice(header + (whole ?? '').length)}`;
}
