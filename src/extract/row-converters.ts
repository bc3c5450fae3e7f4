import { z } from 'zod';
import { ContractViolationError } from '../core/errors';
import {
  FIELD_TESTS,
  legacyCustomerSchema,
  legacyInvoiceLineSchema,
  legacyInvoiceSchema,
  legacyOrderLineSchema,
  legacyOrderSchema,
  legacyPartnerSchema,
  legacyUserSchema,
  type LegacyCustomer,
  type LegacyInvoice,
  type LegacyInvoiceLine,
  type LegacyOrder,
  type LegacyOrderLine,
  type LegacyPartner,
  type LegacyUser,
} from '../core/legacy-model';
import { COLUMNS, type ColumnKind } from './legacy-columns';
import type { LegacyTableName } from './source-reader';

/**
 * The plain test of a converted row of `table` that `schema` stands for: each column's value
 * tested as FIELD_TESTS says (null passes where the field is nullable). A row it passes is the
 * row zod would give back (zod's object keeps the schema's keys in the schema's order, which
 * must be the columns' order, and none of the field schemas transforms a value). Undefined when
 * the schema is not made of FIELD_TESTS' fields alone, or its keys are not the columns: zod then
 * checks every row.
 */
export function compileRowTest(
  schema: z.ZodObject,
  columns: ReadonlyArray<{ name: string }>,
): ((row: Record<string, unknown>) => boolean) | undefined {
  const fields = Object.entries(schema.shape as Record<string, z.ZodType>);
  if (fields.length !== columns.length || fields.some(([name], index) => columns[index].name !== name))
    return undefined;
  const tests: Array<{ name: string; nullable: boolean; test: (value: unknown) => boolean }> = [];
  for (const [name, field] of fields) {
    const nullable = field instanceof z.ZodNullable;
    const test = FIELD_TESTS.get(nullable ? (field.unwrap() as z.ZodType) : field);
    if (test === undefined) return undefined;
    tests.push({ name, nullable, test });
  }
  return (row) => {
    for (const { name, nullable, test } of tests) {
      const value = row[name];
      if (!(value === null ? nullable : test(value))) return false;
    }
    return true;
  };
}

/** A row as a driver hands it over, by column name. */
export type RawRow = Record<string, unknown>;

/** Raw driver rows to contract rows, validated as they leave extract. */
export interface RowConverters {
  /** One value of a column kind in the engine-neutral representation; unknown shapes pass through for zod to reject. */
  convertValue(kind: ColumnKind, value: unknown): unknown;
  convertRow(table: LegacyTableName, raw: RawRow): Record<string, unknown>;
  toLegacyPartner(raw: RawRow): LegacyPartner;
  toLegacyUser(raw: RawRow): LegacyUser;
  toLegacyCustomer(raw: RawRow): LegacyCustomer;
  toLegacyOrder(raw: RawRow): LegacyOrder;
  toLegacyOrderLine(raw: RawRow): LegacyOrderLine;
  toLegacyInvoice(raw: RawRow): LegacyInvoice;
  toLegacyInvoiceLine(raw: RawRow): LegacyInvoiceLine;
}

/** How an engine's driver hands values over, where engines differ. */
export interface DriverValues {
  /** DATETIME text as the driver hands it over -> `YYYY-MM-DD HH:MM:SS.fff`; an unknown shape unchanged. */
  toLocalDateTime(text: string): string;
  /** A value of any kind but `local` and `utc`, never null, into the engine-neutral representation. */
  convertOther(kind: ColumnKind, value: unknown): unknown;
}

/**
 * The converters of an engine, from its one difference: how its driver hands values over.
 * NULL becomes null and date-times go through the engine's local text (UTC ones then as ISO
 * 8601 with `Z`) the same way on every engine.
 */
export function rowConverters(driver: DriverValues): RowConverters {
  const convertValue = (kind: ColumnKind, value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (kind !== 'local' && kind !== 'utc') return driver.convertOther(kind, value);
    if (typeof value !== 'string') return value;
    const local = driver.toLocalDateTime(value);
    if (kind === 'local') return local;
    return local.length === 23 ? `${local.slice(0, 10)}T${local.slice(11)}Z` : value;
  };
  const convertRow = (table: LegacyTableName, raw: RawRow): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const column of COLUMNS[table]) out[column.name] = convertValue(column.kind, raw[column.name]);
    return out;
  };
  // A row the plain test passes is zod's result already; zod is asked about the others (for
  // the message, or a verdict the plain test does not give). A million rows a wave: zod's
  // copy of each row and its checks' objects were an eighth of what a wave allocated.
  const validated = <T>(table: LegacyTableName, schema: z.ZodObject & z.ZodType<T>) => {
    const passes = compileRowTest(schema, COLUMNS[table]);
    return (raw: RawRow): T => {
      const converted = convertRow(table, raw);
      if (passes?.(converted) === true) return converted as T;
      const result = schema.safeParse(converted);
      if (result.success) return result.data;
      const key = COLUMNS[table][0].name;
      const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      // Values are left out of the message: they may be personal data.
      const row = `${key}=${String(raw[key])}`;
      throw new ContractViolationError(`legacy ${table} row ${row} breaks the row contract: ${problems}`);
    };
  };
  return {
    convertValue,
    convertRow,
    toLegacyPartner: validated('Partners', legacyPartnerSchema),
    toLegacyUser: validated('PartnerUsers', legacyUserSchema),
    toLegacyCustomer: validated('Customers', legacyCustomerSchema),
    toLegacyOrder: validated('Orders', legacyOrderSchema),
    toLegacyOrderLine: validated('OrderLines', legacyOrderLineSchema),
    toLegacyInvoice: validated('Invoices', legacyInvoiceSchema),
    toLegacyInvoiceLine: validated('InvoiceLines', legacyInvoiceLineSchema),
  };
}
