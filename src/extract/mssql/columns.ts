import { COLUMNS, type Column } from '../legacy-columns';
import type { LegacyTableName } from '../source-reader';

export { COLUMNS, type Column, type ColumnKind } from '../legacy-columns';

/** `[name]`, with `]` doubled. */
export function bracket(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** `[dbo].[Table]`. */
export function tableName(table: string): string {
  return `[dbo].${bracket(table)}`;
}

/**
 * The select expression of a column: everything the driver would turn into a float, a Date or a
 * Buffer is converted to text by the server, in a fixed style.
 */
export function selectExpression(column: Column, alias?: string): string {
  const ref = alias ? `${alias}.${bracket(column.name)}` : bracket(column.name);
  const as = ` AS ${bracket(column.name)}`;
  switch (column.kind) {
    case 'guid':
      return `CONVERT(char(36), ${ref})${as}`;
    // Style 2 keeps money's four decimals (the default style rounds to two).
    case 'money':
      return `CONVERT(varchar(40), ${ref}, 2)${as}`;
    case 'decimal':
      return `CONVERT(varchar(40), ${ref})${as}`;
    case 'local':
    case 'utc':
      return `CONVERT(char(23), ${ref}, 121)${as}`;
    case 'date':
      return `CONVERT(char(10), ${ref}, 23)${as}`;
    // rowversion is binary(8), big-endian: as bigint it orders the same, as text it stays exact.
    case 'rowver':
      return `CONVERT(varchar(20), CONVERT(bigint, ${ref}))${as}`;
    default:
      return ref;
  }
}

export function selectList(table: LegacyTableName, alias?: string): string {
  return COLUMNS[table].map((column) => selectExpression(column, alias)).join(', ');
}
