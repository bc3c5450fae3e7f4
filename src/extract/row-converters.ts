import type { z } from 'zod';
import { ContractViolationError } from '../core/errors';
import {
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
  const validated =
    <T>(table: LegacyTableName, schema: z.ZodType<T>) =>
    (raw: RawRow): T => {
      const result = schema.safeParse(convertRow(table, raw));
      if (result.success) return result.data;
      const key = COLUMNS[table][0].name;
      const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      // Values are left out of the message: they may be personal data.
      const row = `${key}=${String(raw[key])}`;
      throw new ContractViolationError(`legacy ${table} row ${row} breaks the row contract: ${problems}`);
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
