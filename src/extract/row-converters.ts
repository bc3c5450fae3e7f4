import type { z } from 'zod';
import { ContractViolationError } from '../core/errors';
import {
  legacyCustomerSchema, legacyInvoiceLineSchema, legacyInvoiceSchema, legacyOrderLineSchema, legacyOrderSchema, legacyPartnerSchema,
  legacyUserSchema, type LegacyCustomer, type LegacyInvoice, type LegacyInvoiceLine, type LegacyOrder, type LegacyOrderLine,
  type LegacyPartner, type LegacyUser,
} from '../core/legacy-model';
import { COLUMNS, type ColumnKind } from './legacy-columns';
import type { LegacyTableName } from './source-reader';

/** A row as a driver hands it over, by column name. */
export type RawRow = Record<string, unknown>;

/** Raw driver rows to contract rows, validated as they leave extract. */
export interface RowConverters {
  convertRow(table: LegacyTableName, raw: RawRow): Record<string, unknown>;
  toLegacyPartner(raw: RawRow): LegacyPartner;
  toLegacyUser(raw: RawRow): LegacyUser;
  toLegacyCustomer(raw: RawRow): LegacyCustomer;
  toLegacyOrder(raw: RawRow): LegacyOrder;
  toLegacyOrderLine(raw: RawRow): LegacyOrderLine;
  toLegacyInvoice(raw: RawRow): LegacyInvoice;
  toLegacyInvoiceLine(raw: RawRow): LegacyInvoiceLine;
}

/** The converters of an engine, from its one difference: how a value of each column kind arrives. */
export function rowConverters(convertValue: (kind: ColumnKind, value: unknown) => unknown): RowConverters {
  const convertRow = (table: LegacyTableName, raw: RawRow): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const column of COLUMNS[table]) out[column.name] = convertValue(column.kind, raw[column.name]);
    return out;
  };
  const validated = <T>(table: LegacyTableName, schema: z.ZodType<T>) => (raw: RawRow): T => {
    const result = schema.safeParse(convertRow(table, raw));
    if (result.success) return result.data;
    const key = COLUMNS[table][0].name;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    // Values are left out of the message: they may be personal data.
    throw new ContractViolationError(`legacy ${table} row ${key}=${String(raw[key])} breaks the row contract: ${problems}`);
  };
  return {
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
