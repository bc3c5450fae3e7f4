import type { Knex } from 'knex';
import { rowHashExpression } from './0007-archive-row-hash';

/**
 * The marketplace tables that verification compares by hash (licensees, agreements,
 * subscriptions: the large ones) carry their row hash, like the archive (0007): a stored
 * generated column, the first 15 hex digits of the MD5 of the compared columns' canonical text
 * as a 60-bit integer, kept by PostgreSQL from the row's own values on every write, the
 * platform's included, and writable by no one. Verification sums it instead of formatting and
 * hashing every stored row on every run. SCHEMA.md allows a table more columns than it lists.
 *
 * The columns are those verification compares (src/verify/hashed-comparisons.ts, HASHED_COMPARISONS),
 * id first, as of this migration; an integration test holds the stored hashes equal to the hashes
 * of the rows the mapping expects. Texts as valueText gives them: numbers and booleans as
 * PostgreSQL prints them, char(n) without its padding, dates as YYYY-MM-DD through
 * archive.canonical_text (a date's own ::text depends on DateStyle, so it is not immutable).
 */
const COLUMNS: Readonly<Record<string, ReadonlyArray<string>>> = {
  licensees: [
    'id',
    'legacy_customer_id::text',
    'account_id',
    'buyer_id',
    'seller_id',
    'name',
    'resale::text',
    'external_id',
    'tenant_id::text',
    'primary_domain',
    'country::text',
    'city',
    'contact_email',
    'status',
  ],
  agreements: ['id', 'account_id', 'buyer_id', 'seller_id', 'licensee_id', 'sku', 'name', 'status'],
  subscriptions: [
    'id',
    'agreement_id',
    'external_ref',
    'sku',
    'name',
    'quantity::text',
    'billing_period',
    'term_months::text',
    'archive.canonical_text(start_date)',
    'archive.canonical_text(commitment_date)',
    'archive.canonical_text(termination_date)',
    'auto_renew::text',
    'status',
  ],
};

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of Object.entries(COLUMNS)) {
    await knex.raw(
      `ALTER TABLE marketplace.${table} ADD COLUMN row_hash bigint GENERATED ALWAYS AS (${rowHashExpression(columns.map((column) => `coalesce(${column}, chr(30))`))}) STORED`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(COLUMNS)) {
    await knex.raw(`ALTER TABLE marketplace.${table} DROP COLUMN row_hash`);
  }
}
