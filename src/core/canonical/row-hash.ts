import { hash } from 'node:crypto';

/**
 * Canonical text of a row: the canonical text of each compared column, in spec order, joined
 * by FIELD_SEPARATOR; a NULL is NULL_MARKER. Row hash: the first 15 hex digits of the MD5 of
 * that text's UTF-8 bytes, as a 60-bit unsigned integer.
 */

/** Between two column texts of a row (ASCII unit separator, CHAR(31)). */
export const FIELD_SEPARATOR = '\u001f';
/** Stands for NULL (ASCII record separator, CHAR(30)): NULL and '' stay different. */
export const NULL_MARKER = '\u001e';
/** Hex digits of the MD5 kept per row: 15 digits = 60 bits, so sums fit any engine's exact decimal. */
export const HASH_HEX_DIGITS = 15;

/** One row's canonical column texts (NULL as null), in spec order. */
export type CanonicalValues = ReadonlyArray<string | null>;

/** The canonical text of a row from its canonical column texts. */
export function canonicalText(values: CanonicalValues): string {
  return values.map((value) => (value === null ? NULL_MARKER : value)).join(FIELD_SEPARATOR);
}

/**
 * Exact sum of many row hashes without a BigInt per row: each 60-bit hash is split into its
 * high 32 and low 28 bits, summed as doubles (exact up to 2^21 rows per half), and folded into
 * a BigInt every 2^20 rows. The same bits as rowHash, without a BigInt parsed from hex text per row.
 */
export class RowHashSum {
  private high = 0;
  private low = 0;
  private pending = 0;
  private folded = 0n;
  count = 0;

  /** Adds the row hash of a canonical text. */
  add(text: string): void {
    // The digest as one character per byte ('binary', i.e. latin1), read with charCodeAt: no Buffer per row.
    const digest = hash('md5', text, 'binary');
    // The first 15 hex digits: the 32 bits of bytes 0-3 and the 28 of bytes 4-6 and the high half of byte 7.
    this.high +=
      digest.charCodeAt(0) * 0x1000000 +
      (digest.charCodeAt(1) << 16) +
      (digest.charCodeAt(2) << 8) +
      digest.charCodeAt(3);
    this.low +=
      (digest.charCodeAt(4) << 20) +
      (digest.charCodeAt(5) << 12) +
      (digest.charCodeAt(6) << 4) +
      (digest.charCodeAt(7) >>> 4);
    this.count += 1;
    this.pending += 1;
    if (this.pending === 1 << 20) this.fold();
  }

  private fold(): void {
    this.folded += (BigInt(this.high) << 28n) + BigInt(this.low);
    this.high = 0;
    this.low = 0;
    this.pending = 0;
  }

  /** The exact sum, as decimal text. */
  total(): string {
    this.fold();
    return this.folded.toString();
  }
}

/** The 60-bit row hash of a canonical text, as decimal text (what the databases return). */
export function rowHash(text: string): string {
  return BigInt(`0x${hash('md5', text, 'hex').slice(0, HASH_HEX_DIGITS)}`).toString();
}
