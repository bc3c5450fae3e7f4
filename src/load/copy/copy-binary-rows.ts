import type { Knex } from 'knex';
import { to as copyTo } from 'pg-copy-streams';
import { withPoolConnection } from '../connection/target-connection';

/**
 * How a column of a binary COPY is decoded: a 4-byte integer, text (UTF-8), or a label: text
 * with few distinct values (codes, SKUs, product names), one string per distinct value for the
 * first 16,384 distinct values of the column (past them, made as text).
 */
export type BinaryColumn = 'int4' | 'text' | 'label';

/** A decoded value: a number for int4, a string for text and label, null for NULL. */
export type BinaryValue = number | string | null;

// PostgreSQL's binary COPY file header: signature, flags (int32), header extension length (int32).
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;

/** Text of bytes[start, end): a one-byte (latin1) string when every byte is ASCII, which is the same text and cheaper to make. */
function textOf(bytes: Buffer, start: number, end: number): string {
  for (let at = start; at < end; at += 1) {
    if (bytes[at] > 0x7f) return bytes.toString('utf8', start, end);
  }
  return bytes.toString('latin1', start, end);
}

/** bytes[start, end) equal `kept`. */
function sameBytes(kept: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (kept.length !== end - start) return false;
  for (let at = 0; at < kept.length; at += 1) if (kept[at] !== bytes[start + at]) return false;
  return true;
}

/** Distinct values a label column keeps; past them its values are made as plain text. */
const LABELS_KEPT = 16_384;

/**
 * A label column's strings by their bytes: a value seen before is found from its bytes (a hash
 * and a comparison) and its string reused, so a column that repeats a few values over a
 * million rows makes a few strings, not a million short-lived ones.
 */
class Labels {
  private readonly byHash = new Map<number, Array<{ bytes: Buffer; text: string }>>();
  private kept = 0;

  textOf(bytes: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5; // FNV-1a
    for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ bytes[at], 0x01000193);
    const bucket = this.byHash.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) if (sameBytes(entry.bytes, bytes, start, end)) return entry.text;
    }
    const text = textOf(bytes, start, end);
    if (this.kept < LABELS_KEPT) {
      const entry = { bytes: Buffer.from(bytes.subarray(start, end)), text };
      if (bucket === undefined) this.byHash.set(hash, [entry]);
      else bucket.push(entry);
      this.kept += 1;
    }
    return text;
  }
}

/**
 * Decodes PostgreSQL's binary COPY format (`COPY ... TO STDOUT WITH (FORMAT binary)`) as it
 * arrives, in chunks that may split a row anywhere: each complete row's values are handed to
 * `onRow` in one array that is reused for the next row (copy what you keep). No object per row
 * or per field is made: integers are read from their four bytes, and only text becomes strings.
 */
export class BinaryCopyDecoder {
  private pending: Buffer | null = null;
  private headerRead = false;
  private trailerRead = false;
  private rows = 0;
  private readonly values: BinaryValue[];
  private readonly isInt: boolean[];
  private readonly labels: Array<Labels | undefined>;

  constructor(
    private readonly columns: ReadonlyArray<BinaryColumn>,
    private readonly onRow: (values: ReadonlyArray<BinaryValue>) => void,
  ) {
    this.values = columns.map(() => null);
    this.isInt = columns.map((column) => column === 'int4');
    this.labels = columns.map((column) => (column === 'label' ? new Labels() : undefined));
  }

  /** Decodes every row `chunk` completes; the bytes of a row not yet complete are kept for the next chunk. */
  write(chunk: Buffer): void {
    if (this.trailerRead) throw new Error('binary COPY data after its trailer');
    let bytes = chunk;
    if (this.pending !== null) {
      bytes = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let at = 0;
    if (!this.headerRead) {
      if (bytes.length < HEADER_BYTES) {
        this.pending = bytes;
        return;
      }
      if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE))
        throw new Error('not a binary COPY stream (bad signature)');
      at = HEADER_BYTES + bytes.readUInt32BE(SIGNATURE.length + 4);
      if (bytes.length < at) {
        this.pending = bytes;
        return;
      }
      this.headerRead = true;
    }
    const { values, isInt, labels, columns } = this;
    const end = bytes.length;
    const count = columns.length;
    while (at + 2 <= end) {
      const fields = bytes.readInt16BE(at);
      if (fields === -1) {
        this.trailerRead = true;
        at += 2;
        break;
      }
      if (fields !== count) throw new Error(`binary COPY row ${this.rows + 1} has ${fields} fields, expected ${count}`);
      let p = at + 2;
      let complete = true;
      for (let index = 0; index < count; index += 1) {
        if (p + 4 > end) {
          complete = false;
          break;
        }
        const length = bytes.readInt32BE(p);
        p += 4;
        if (length === -1) {
          values[index] = null;
          continue;
        }
        if (p + length > end) {
          complete = false;
          break;
        }
        if (isInt[index]) {
          if (length !== 4)
            throw new Error(`binary COPY column ${index + 1} is not a 4-byte integer (${length} bytes)`);
          values[index] = bytes.readInt32BE(p);
        } else {
          const label = labels[index];
          values[index] = label === undefined ? textOf(bytes, p, p + length) : label.textOf(bytes, p, p + length);
        }
        p += length;
      }
      if (!complete) break;
      this.rows += 1;
      this.onRow(values);
      at = p;
    }
    if (at < end) {
      if (this.trailerRead) throw new Error('binary COPY data after its trailer');
      // A copy: a view would keep the whole chunk alive for the sake of its last bytes.
      this.pending = Buffer.from(bytes.subarray(at));
    }
  }

  /** Checks the stream ended where a stream should: after its trailer, no bytes left over. Returns the rows decoded. */
  end(): number {
    if (!this.trailerRead || this.pending !== null)
      throw new Error(`binary COPY stream ended early, after ${this.rows} rows`);
    return this.rows;
  }
}

/**
 * Runs `select` (no parameters: COPY takes none, so values must be validated literals) as a
 * binary COPY on a connection borrowed from the pool and hands each row to `onRow` as it
 * arrives (BinaryCopyDecoder: one reused array, copy what you keep): no message, string array
 * and parsed row per row, and integers arrive as bytes. Resolves with the number of rows. A failing `onRow` ends the
 * work on rows, not the COPY: the connection goes back to the pool only once it is idle.
 */
export function forEachCopyRow(
  db: Knex,
  select: string,
  columns: ReadonlyArray<BinaryColumn>,
  onRow: (values: ReadonlyArray<BinaryValue>) => void,
): Promise<number> {
  return withPoolConnection(
    db,
    (connection) =>
      new Promise<number>((resolve, reject) => {
        const decoder = new BinaryCopyDecoder(columns, onRow);
        const stream = connection.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT binary)`));
        let failure: { error: unknown } | undefined;
        stream.on('data', (chunk: Buffer) => {
          if (failure !== undefined) return;
          try {
            decoder.write(chunk);
          } catch (error) {
            failure = { error };
          }
        });
        stream.on('error', reject);
        stream.on('end', () => {
          if (failure !== undefined) {
            reject(failure.error);
            return;
          }
          try {
            resolve(decoder.end());
          } catch (error) {
            reject(error);
          }
        });
      }),
  );
}
