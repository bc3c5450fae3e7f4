import {
  CANONICAL,
  HASH_HEX_DIGITS,
  TRIM_WHITESPACE,
  type ArchiveEntity,
  type ArchiveLegacyTable,
  type CanonicalColumn,
} from '../../../core/canonical';
import { keyRangeCondition, type KeyRange } from '../../../core/key-range';
import { joinPartnerIds } from '../../../core/partner-ids';
import { canonicalColumnSql, canonicalRowSql, type CanonicalSpelling } from '../../canonical-sql';
import { oneLine } from '../../one-line';
import { quoteName } from '../columns';

/**
 * A control character as a utf8mb4 text literal (`_utf8mb4 X'1e'`), not a binary string; a
 * literal, unlike CHAR(n USING utf8mb4), is not a function call on every row.
 */
const charOf = (text: string) => `_utf8mb4 X'${text.charCodeAt(0).toString(16).padStart(2, '0')}'`;

// PCRE class of TRIM_WHITESPACE as \x{..} escapes (PCRE's own \v would also match LF, CR, NEL...).
const pcreEscape = (c: string) => `\\\\x{${c.charCodeAt(0).toString(16).padStart(2, '0')}}`;
const WHITESPACE_CLASS = `[${TRIM_WHITESPACE.map(pcreEscape).join('')}]`;
const TRIM_PATTERN = `'^${WHITESPACE_CLASS}+|${WHITESPACE_CLASS}+$'`;

/**
 * Trims exactly TRIM_WHITESPACE (MariaDB's TRIM knows one string only). The regular expression
 * runs only when the first or last byte is a control character or space, so clean text costs
 * two ASCII() calls. `maxLength` (the column's length) is for an expression that is grouped on:
 * REGEXP_REPLACE is typed LONGTEXT, and a LONGTEXT group key makes MariaDB group through a
 * blob-keyed temporary table; trimming never lengthens, so LEFT() to the column's length loses nothing.
 */
export function trimExpression(ref: string, maxLength?: number): string {
  const replaced = `REGEXP_REPLACE(${ref}, ${TRIM_PATTERN}, '')`;
  // The last byte, not the last character: RIGHT() of the text walks its characters. A
  // multi-byte character ends in a byte above 0x7F, and every trimmed character is one byte.
  return oneLine`
    IF(ASCII(${ref}) > 32 AND ASCII(RIGHT(CAST(${ref} AS BINARY), 1)) > 32, ${ref},
      ${maxLength === undefined ? replaced : `LEFT(${replaced}, ${maxLength})`})`;
}

const SPELLING: CanonicalSpelling = {
  char: charOf,
  column: (alias, name) => `${alias}.${quoteName(name)}`,
  trim: (ref) => trimExpression(ref),
  valueText(kind, ref) {
    switch (kind) {
      case 'int':
      case 'rowversion':
      case 'decimal':
        // COALESCE with a text makes the number text (no CAST call per value); DECIMAL(p,s) as
        // text keeps its scale: '12.3400', the archive's numeric(19,4) text.
        return ref;
      case 'date':
        return `DATE_FORMAT(${ref}, '%Y-%m-%d')`;
      case 'localDateTime':
        // The value's own text ('YYYY-MM-DD HH:MM:SS' and as many fraction digits as the column
        // has), padded to milliseconds: the same text as DATE_FORMAT(...'.%f') cut to 23, without a format call.
        return `LEFT(CONCAT(${ref}, '.000000'), 23)`;
    }
  },
};

/** The canonical text of one column (core/canonical), NULL as NULL_MARKER. */
export function canonicalColumnExpression(table: ArchiveLegacyTable, column: CanonicalColumn, alias: string): string {
  return canonicalColumnSql(SPELLING, table, column, alias);
}

/** The 60-bit row hash of the canonical text, as BIGINT UNSIGNED (SUM of it is an exact DECIMAL). */
export function rowHashExpression(entity: ArchiveEntity, alias = 't'): string {
  return `CAST(CONV(LEFT(MD5(${canonicalRowSql(SPELLING, entity, alias)}), ${HASH_HEX_DIGITS}), 16, 10) AS UNSIGNED)`;
}

/** `k > after AND k <= upTo` with validated integer literals; TRUE for an open range. */
export function rangeCondition(column: string, range: KeyRange): string {
  return keyRangeCondition(column, range, 'TRUE');
}

/** A validated, non-empty list of partner ids as SQL integer literals: `1, 2, 3`. */
export function partnerIdList(partnerIds: ReadonlyArray<number>): string {
  return joinPartnerIds(partnerIds, ', ');
}

/**
 * FROM and WHERE of an entity's rows of some partners at a watermark. Lines belong to their
 * parent's partner and are read whatever the parent's RowVer, as the streams read them.
 * Returns the SQL, the range-key column reference and the partner column reference.
 */
export function partnerRowsSource(
  entity: ArchiveEntity,
  partnerIds: ReadonlyArray<number>,
  watermarkCondition: (column: string) => string,
): RowsSource {
  const ids = partnerIdList(partnerIds);
  return rowsSource(entity, (partner) => `${partner} IN (${ids})`, watermarkCondition);
}

/** (partner, key) pairs as a row-constructor list: `(1, 10), (1, 12)` (scopedKeyPairs: each checked an integer). */
export function keyPairList(pairs: { partners: ReadonlyArray<number>; keys: ReadonlyArray<number> }): string {
  if (pairs.keys.length === 0) throw new RangeError('at least one scoped key');
  return pairs.keys.map((key, index) => `(${pairs.partners[index]}, ${key})`).join(', ');
}

/**
 * FROM and WHERE of the scoped rows of `entity`: the orders (or invoices) whose (partner, key)
 * is one of `pairs`, or the lines of those. A short row IN list is a range of the partner index
 * (its entries end in the primary key); a long one MariaDB turns into a table of values joined on the key.
 */
export function scopedRowsSource(
  entity: ArchiveEntity,
  pairs: { partners: ReadonlyArray<number>; keys: ReadonlyArray<number> },
  watermarkCondition: (column: string) => string,
): RowsSource {
  const list = keyPairList(pairs);
  return rowsSource(entity, (partner, rangeKey) => `(${partner}, ${rangeKey}) IN (${list})`, watermarkCondition);
}

interface RowsSource {
  from: string;
  rangeKey: string;
  key: string;
  partner: string;
}

/** FROM and WHERE of an entity's rows that `which` picks by partner and range key, at a watermark. */
function rowsSource(
  entity: ArchiveEntity,
  which: (partner: string, rangeKey: string) => string,
  watermarkCondition: (column: string) => string,
): RowsSource {
  const spec = CANONICAL[entity];
  const key = `t.${quoteName(spec.legacyKey)}`;
  if (spec.parent) {
    const rangeKey = `p.${quoteName(spec.parent.legacyKey)}`;
    return {
      from: oneLine`
        FROM ${quoteName(spec.legacyTable)} t
          JOIN ${quoteName(spec.parent.legacyTable)} p ON ${rangeKey} = t.${quoteName(spec.rangeKey.legacy)}
        WHERE ${which('p.`PartnerId`', rangeKey)} AND ${watermarkCondition('t.`RowVer`')}`,
      rangeKey,
      key,
      partner: 'p.`PartnerId`',
    };
  }
  return {
    from: oneLine`
      FROM ${quoteName(spec.legacyTable)} t
      WHERE ${which('t.`PartnerId`', key)} AND ${watermarkCondition('t.`RowVer`')}`,
    rangeKey: key,
    key,
    partner: 't.`PartnerId`',
  };
}
