import { COLUMNS } from '../legacy-columns';
import type { LegacyTableName } from '../source-reader';

export { COLUMNS, type Column, type ColumnKind } from '../legacy-columns';

/** Back-quotes an identifier (`LineNo` is a reserved word in MariaDB). */
export function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** The SELECT list of a table, optionally qualified by an alias. */
export function selectList(table: LegacyTableName, alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return COLUMNS[table].map((column) => `${prefix}${quoteName(column.name)}`).join(', ');
}
