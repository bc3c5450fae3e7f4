import {
  CANONICAL,
  FIELD_SEPARATOR,
  NULL_MARKER,
  type ArchiveEntity,
  type ArchiveLegacyTable,
  type CanonicalColumn,
  type CanonicalType,
} from '../core/canonical';

/** The column kinds whose canonical text each engine spells its own way; text kinds are trimmed alike. */
export type ValueKind = Exclude<CanonicalType['kind'], 'text' | 'upperText'>;

/** How an engine's SQL spells what the canonical projection (core/canonical) asks of a column. */
export interface CanonicalSpelling {
  /** A one-character text literal. */
  char(text: string): string;
  /** A qualified column reference. */
  column(alias: string, name: string): string;
  /** `ref` with exactly TRIM_WHITESPACE trimmed from both ends. */
  trim(ref: string): string;
  /** The canonical text of a column of a non-text kind. */
  valueText(kind: ValueKind, ref: string, table: ArchiveLegacyTable, column: CanonicalColumn): string;
  /** Non-NULL texts joined by `separator` (a `char` literal), in order. Default CONCAT_WS. */
  join?(separator: string, parts: ReadonlyArray<string>): string;
}

/** The canonical text of one column: text trimmed (and upper-cased for upperText), NULL as NULL_MARKER. */
export function canonicalColumnSql(
  spelling: CanonicalSpelling,
  table: ArchiveLegacyTable,
  column: CanonicalColumn,
  alias: string,
): string {
  const ref = spelling.column(alias, column.legacy);
  const { kind } = column.type;
  const text =
    kind === 'text'
      ? spelling.trim(ref)
      : kind === 'upperText'
        ? `UPPER(${spelling.trim(ref)})`
        : spelling.valueText(kind, ref, table, column);
  return `COALESCE(${text}, ${spelling.char(NULL_MARKER)})`;
}

/** The canonical text of a row of `entity`: its columns' texts joined by FIELD_SEPARATOR. */
export function canonicalRowSql(spelling: CanonicalSpelling, entity: ArchiveEntity, alias: string): string {
  const spec = CANONICAL[entity];
  const parts = spec.columns.map((column) => canonicalColumnSql(spelling, spec.legacyTable, column, alias));
  const separator = spelling.char(FIELD_SEPARATOR);
  return spelling.join ? spelling.join(separator, parts) : `CONCAT_WS(${separator}, ${parts.join(', ')})`;
}
