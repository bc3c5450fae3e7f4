import type { CopyColumns } from './copy-text';
import { encodeCopyLine } from './copy-text';

/**
 * A batch's rows encoded lazily into COPY lines: the first COPY pulls chunks while it runs
 * (encoding overlaps the server's work); a retry or a split reuses the lines already encoded.
 */
export class EncodedBatch {
  private readonly lines: string[];
  private encoded = 0;

  constructor(
    private readonly rows: ReadonlyArray<object>,
    private readonly columns: CopyColumns,
    /** Called when a row cannot be encoded, with its index and the cause; must throw. */
    private readonly onBadRow: (index: number, error: unknown) => never,
  ) {
    this.lines = new Array<string>(rows.length);
  }

  private encodeNext(): string {
    const index = this.encoded;
    let line: string;
    try {
      line = encodeCopyLine(this.rows[index]!, this.columns);
    } catch (error) {
      this.onBadRow(index, error);
    }
    this.lines[index] = line;
    this.encoded = index + 1;
    return line;
  }

  /** Chunks of about `chunkChars` characters, encoding rows as they are pulled. */
  *chunks(chunkChars = 1 << 16): Generator<string> {
    let chunk = '';
    for (let index = 0; index < this.rows.length; index++) {
      chunk += index < this.encoded ? this.lines[index]! : this.encodeNext();
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /** Every line, encoding what is left. */
  allLines(): ReadonlyArray<string> {
    while (this.encoded < this.rows.length) this.encodeNext();
    return this.lines;
  }
}
