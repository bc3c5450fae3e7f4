import {
  CANONICAL,
  HASH_HEX_DIGITS,
  TRIM_WHITESPACE,
  type ArchiveEntity,
  type ArchiveLegacyTable,
  type CanonicalColumn,
} from '../../../core/canonical';
import { keyRangeCondition, type KeyRange } from '../../../core/key-range';
import { canonicalColumnSql, canonicalRowSql, type CanonicalSpelling } from '../../canonical-sql';
import { oneLine } from '../../one-line';
import { bracket, COLUMNS, tableName } from '../columns';

const charOf = (text: string) => `CHAR(${text.charCodeAt(0)})`;
/** `[^...]` of exactly TRIM_WHITESPACE, as a PATINDEX pattern: the first character not trimmed. */
const KEPT_CHARACTER = `'%[^' + ${TRIM_WHITESPACE.map(charOf).join(' + ')} + ']%'`;

/**
 * The collation that makes a varchar hold UTF-8 (SQL Server 2019+): MD5 must see the UTF-8
 * bytes of the canonical text, as MariaDB and PostgreSQL hash it. An NVARCHAR (UTF-16) or a
 * code-page varchar would hash other bytes for any non-ASCII character.
 */
export const UTF8_COLLATION = 'Latin1_General_100_CI_AS_SC_UTF8';

if (HASH_HEX_DIGITS !== 15) {
  throw new Error('the SQL Server row hash below takes exactly 15 hex digits (7 bytes and a nibble)');
}

/**
 * `ref` with exactly TRIM_WHITESPACE trimmed from both ends, NULL as NULL, in what SQL Server
 * 2016 has (TRIM, and LTRIM/RTRIM of other characters than spaces, came with 2017 and 2022):
 * the first and last characters not trimmed, by PATINDEX in a binary collation, and SUBSTRING
 * between them. The length counts trailing spaces (LEN ignores them, hence the appended `x`).
 */
export function trimExpression(ref: string): string {
  const first = `PATINDEX(${KEPT_CHARACTER}, ${ref} COLLATE Latin1_General_BIN2)`;
  const fromEnd = `PATINDEX(${KEPT_CHARACTER}, REVERSE(${ref}) COLLATE Latin1_General_BIN2)`;
  const length = `LEN(CONVERT(nvarchar(max), ${ref}) + N'x') - 1`;
  return `CASE WHEN ${first} = 0 THEN N'' ELSE SUBSTRING(${ref}, ${first}, ${length} - ${first} - ${fromEnd} + 2) END`;
}

function isMoney(table: ArchiveLegacyTable, column: string): boolean {
  return COLUMNS[table].some((c) => c.name === column && c.kind === 'money');
}

/** The same texts MariaDB and PostgreSQL produce, by CONVERT in fixed styles. */
const SPELLING: CanonicalSpelling = {
  char: charOf,
  column: (alias, name) => `${alias}.${bracket(name)}`,
  trim: trimExpression,
  // `+` rather than CONCAT_WS (SQL Server 2017+); every part is non-NULL (COALESCE to NULL_MARKER),
  // and the first one as nvarchar(max) keeps the whole text from being cut at 4,000 characters.
  join: (separator, parts) =>
    parts.map((part, index) => (index === 0 ? `CONVERT(nvarchar(max), ${part})` : part)).join(` + ${separator} + `),
  valueText(kind, ref, table, column) {
    switch (kind) {
      case 'int':
        return `CONVERT(varchar(11), ${ref})`;
      case 'rowversion':
        return `CONVERT(varchar(20), CONVERT(bigint, ${ref}))`;
      case 'decimal':
        // money: style 2 keeps four decimals; decimal(p,s) converts with its own scale.
        return isMoney(table, column.legacy) ? `CONVERT(varchar(40), ${ref}, 2)` : `CONVERT(varchar(40), ${ref})`;
      case 'date':
        return `CONVERT(char(10), ${ref}, 23)`;
      case 'localDateTime':
        return `CONVERT(char(23), ${ref}, 121)`;
    }
  },
};

/** The canonical text of one column (core/canonical), NULL as NULL_MARKER. */
export function canonicalColumnExpression(table: ArchiveLegacyTable, column: CanonicalColumn, alias: string): string {
  return canonicalColumnSql(SPELLING, table, column, alias);
}

/** The canonical text of a row as UTF-8 bytes. */
export function canonicalTextExpression(entity: ArchiveEntity, alias = 't'): string {
  return `CONVERT(varchar(max), ${canonicalRowSql(SPELLING, entity, alias)} COLLATE ${UTF8_COLLATION})`;
}

/**
 * CROSS APPLY giving `[rh]`: the first 15 hex digits of the MD5 as a bigint (7 whole bytes,
 * then the high nibble of the 8th), never negative, so SUM over decimal(38,0) is exact.
 */
export function rowHashApply(entity: ArchiveEntity, alias = 't'): string {
  return oneLine`
    CROSS APPLY (SELECT HASHBYTES('MD5', ${canonicalTextExpression(entity, alias)}) AS [md5]) AS [m]
    CROSS APPLY (
      SELECT CONVERT(bigint, SUBSTRING([m].[md5], 1, 7)) * 16 + CONVERT(int, SUBSTRING([m].[md5], 8, 1)) / 16 AS [rh]
    ) AS [x]`;
}

/** `k > after AND k <= upTo` with validated integer literals; `1 = 1` for an open range. */
export function rangeCondition(column: string, range: KeyRange): string {
  return keyRangeCondition(column, range, '1 = 1');
}

/**
 * FROM (with the hash apply) and WHERE of some partners' rows of `entity`; lines belong to their
 * parent's partner. `partnerCondition` follows the partner column: `= @partnerId` or an `IN (...)`.
 */
export function partnerRowsSource(
  entity: ArchiveEntity,
  watermarkCondition: (column: string) => string,
  withHash: boolean,
  partnerCondition = '= @partnerId',
): { from: string; rangeKey: string; key: string; partner: string } {
  const spec = CANONICAL[entity];
  const key = `t.${bracket(spec.legacyKey)}`;
  const hash = withHash ? ` ${rowHashApply(entity)}` : '';
  if (spec.parent) {
    const rangeKey = `p.${bracket(spec.parent.legacyKey)}`;
    return {
      from: oneLine`
        FROM ${tableName(spec.legacyTable)} AS t
          JOIN ${tableName(spec.parent.legacyTable)} AS p ON ${rangeKey} = t.${bracket(spec.rangeKey.legacy)}${hash}
        WHERE p.[PartnerId] ${partnerCondition} AND ${watermarkCondition('t.[RowVer]')}`,
      rangeKey,
      key,
      partner: 'p.[PartnerId]',
    };
  }
  return {
    from: oneLine`
      FROM ${tableName(spec.legacyTable)} AS t${hash}
      WHERE t.[PartnerId] ${partnerCondition} AND ${watermarkCondition('t.[RowVer]')}`,
    rangeKey: key,
    key,
    partner: 't.[PartnerId]',
  };
}

/**
 * FROM (with the hash apply) and WHERE of the scoped rows of `entity`: the orders (or invoices)
 * of the pairs table `[s]` (partner, key) that are that partner's, or the lines of those. The
 * pairs drive the join, so the plan seeks the scope's keys rather than scanning partners' rows.
 */
export function scopedRowsSource(
  entity: ArchiveEntity,
  watermarkCondition: (column: string) => string,
  pairsTable: string,
): { from: string; rangeKey: string; key: string; partner: string } {
  const spec = CANONICAL[entity];
  const key = `t.${bracket(spec.legacyKey)}`;
  if (spec.parent) {
    const rangeKey = `p.${bracket(spec.parent.legacyKey)}`;
    return {
      from: oneLine`
        FROM ${pairsTable}
          JOIN ${tableName(spec.parent.legacyTable)} AS p ON ${rangeKey} = [s].[k] AND p.[PartnerId] = [s].[p]
          JOIN ${tableName(spec.legacyTable)} AS t ON t.${bracket(spec.rangeKey.legacy)} = ${rangeKey} ${rowHashApply(entity)}
        WHERE ${watermarkCondition('t.[RowVer]')}`,
      rangeKey,
      key,
      partner: 'p.[PartnerId]',
    };
  }
  return {
    from: oneLine`
      FROM ${pairsTable}
        JOIN ${tableName(spec.legacyTable)} AS t ON ${key} = [s].[k] AND t.[PartnerId] = [s].[p] ${rowHashApply(entity)}
      WHERE ${watermarkCondition('t.[RowVer]')}`,
    rangeKey: key,
    key,
    partner: 't.[PartnerId]',
  };
}
