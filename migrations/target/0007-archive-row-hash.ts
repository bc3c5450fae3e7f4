import type { Knex } from 'knex';

/**
 * Each archive row carries its reconciliation row hash (core/canonical: the first 15 hex
 * digits of the MD5 of the row's canonical text, as a 60-bit integer), kept by PostgreSQL
 * itself as a stored generated column: computed from the row's own values on every INSERT,
 * COPY and UPDATE, and not writable by anyone, so it cannot drift from the row. Verification
 * then sums stored hashes instead of formatting and re-hashing every archived row on every run.
 * The legacy side still hashes inside its own database on every run.
 *
 * The canonical text is spelled here with immutable functions only (a generated column
 * requires it): `||` instead of concat_ws, and local timestamps and dates through
 * archive.canonical_text, to_char() with a fixed numeric pattern declared IMMUTABLE. to_char is
 * only STABLE because some patterns read the locale (TM...) or a zone; these read neither, on a
 * type without a zone (text built from extract()/date_part() instead makes the load's hashing
 * much dearer). It must equal src/verify/sql/archive-canonical.ts's expression for every row; an
 * integration test holds them together.
 */
const COLUMNS: Readonly<Record<string, ReadonlyArray<string>>> = {
  orders: [
    'coalesce(legacy_order_id::text, chr(30))',
    'coalesce(order_number, chr(30))',
    'coalesce(legacy_partner_id::text, chr(30))',
    'coalesce(legacy_customer_id::text, chr(30))',
    'coalesce(order_type, chr(30))',
    'coalesce(status, chr(30))',
    'coalesce(archive.canonical_text(order_date_local), chr(30))',
    'coalesce(currency, chr(30))',
    'coalesce(round(total_amount, 4)::text, chr(30))',
    'coalesce(po_number, chr(30))',
    'coalesce(created_by, chr(30))',
    'coalesce(legacy_row_version::text, chr(30))',
  ],
  order_lines: [
    'coalesce(legacy_order_line_id::text, chr(30))',
    'coalesce(legacy_order_id::text, chr(30))',
    'coalesce(line_no::text, chr(30))',
    'coalesce(sku, chr(30))',
    'coalesce(product_name, chr(30))',
    'coalesce(quantity::text, chr(30))',
    'coalesce(round(unit_price, 4)::text, chr(30))',
    'coalesce(round(line_total, 4)::text, chr(30))',
    'coalesce(billing_frequency_raw, chr(30))',
    'coalesce(term_months::text, chr(30))',
    'coalesce(subscription_ref, chr(30))',
    'coalesce(legacy_row_version::text, chr(30))',
  ],
  invoices: [
    'coalesce(legacy_invoice_id::text, chr(30))',
    'coalesce(invoice_number, chr(30))',
    'coalesce(legacy_partner_id::text, chr(30))',
    'coalesce(document_type_raw, chr(30))',
    'coalesce(archive.canonical_text(invoice_date), chr(30))',
    'coalesce(archive.canonical_text(due_date), chr(30))',
    'coalesce(currency, chr(30))',
    'coalesce(round(net_amount, 4)::text, chr(30))',
    'coalesce(round(tax_amount, 4)::text, chr(30))',
    'coalesce(round(gross_amount, 4)::text, chr(30))',
    'coalesce(status, chr(30))',
    'coalesce(legacy_row_version::text, chr(30))',
  ],
  invoice_lines: [
    'coalesce(legacy_invoice_line_id::text, chr(30))',
    'coalesce(legacy_invoice_id::text, chr(30))',
    'coalesce(legacy_order_id::text, chr(30))',
    'coalesce(legacy_customer_id::text, chr(30))',
    'coalesce(description, chr(30))',
    'coalesce(round(quantity, 4)::text, chr(30))',
    'coalesce(round(unit_price, 4)::text, chr(30))',
    'coalesce(round(amount, 4)::text, chr(30))',
    'coalesce(round(tax_rate, 2)::text, chr(30))',
    'coalesce(legacy_row_version::text, chr(30))',
  ],
};

/** The stored row hash of an archive table: MD5 of the canonical text (fields joined by CHAR(31)), first 60 bits. Also 0008's. */
export function rowHashExpression(columns: ReadonlyArray<string>): string {
  return `('x' || substr(md5(${columns.join(' || chr(31) || ')}), 1, 15))::bit(60)::bigint`;
}

export async function up(knex: Knex): Promise<void> {
  // plpgsql: a SQL function that is declared more immutable than its body is not inlined, and costs more per call.
  await knex.raw(`
CREATE FUNCTION archive.canonical_text(value timestamp) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN RETURN to_char(value, 'YYYY-MM-DD HH24:MI:SS.MS'); END $$;
CREATE FUNCTION archive.canonical_text(value date) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN RETURN to_char(value, 'YYYY-MM-DD'); END $$;`);
  for (const [table, columns] of Object.entries(COLUMNS)) {
    await knex.raw(
      `ALTER TABLE archive.${table} ADD COLUMN row_hash bigint GENERATED ALWAYS AS (${rowHashExpression(columns)}) STORED`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(COLUMNS)) {
    await knex.raw(`ALTER TABLE archive.${table} DROP COLUMN row_hash`);
  }
  await knex.raw('DROP FUNCTION archive.canonical_text(timestamp); DROP FUNCTION archive.canonical_text(date)');
}
