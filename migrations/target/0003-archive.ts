import type { Knex } from 'knex';
import { guardArchiveWrite, touchUpdatedAt } from './triggers';

// No foreign keys in the archive: partitions load in parallel, and verify checks integrity instead.
// Currency is text, not char(3): the archive keeps normalised codes even when they are invalid, unpadded.
// Only keys are NOT NULL: the archive is complete whatever the quality of a legacy row.
const TABLES = ['orders', 'order_lines', 'invoices', 'invoice_lines'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE archive.orders (
  legacy_order_id     int PRIMARY KEY,
  order_number        text,
  legacy_partner_id   int NOT NULL,
  account_id          text,
  legacy_customer_id  int,
  licensee_id         text,
  order_type          text,
  marketplace_type    text,
  status              text,
  marketplace_status  text,
  ordered_at          timestamptz,
  order_date_local    timestamp,
  currency            text,
  total_amount        numeric(19,4),
  po_number           text,
  created_by          text,
  legacy_row_version  bigint,
  deleted_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_legacy_partner_id_idx ON archive.orders (legacy_partner_id);

CREATE TABLE archive.order_lines (
  legacy_order_line_id   int PRIMARY KEY,
  legacy_order_id        int NOT NULL,
  line_no                int,
  sku                    text,
  product_name           text,
  quantity               int,
  unit_price             numeric(19,4),
  line_total             numeric(19,4),
  billing_frequency      text,
  billing_frequency_raw  text,
  term_months            int,
  subscription_ref       text,
  legacy_row_version     bigint,
  deleted_at             timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_lines_legacy_order_id_idx ON archive.order_lines (legacy_order_id);

CREATE TABLE archive.invoices (
  legacy_invoice_id   int PRIMARY KEY,
  invoice_number      text,
  legacy_partner_id   int NOT NULL,
  account_id          text,
  document_type       text CHECK (document_type IN ('Invoice', 'CreditMemo')),
  document_type_raw   text,
  invoice_date        date,
  due_date            date,
  currency            text,
  net_amount          numeric(19,4),
  tax_amount          numeric(19,4),
  gross_amount        numeric(19,4),
  status              text,
  marketplace_status  text,
  legacy_row_version  bigint,
  deleted_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_legacy_partner_id_idx ON archive.invoices (legacy_partner_id);

CREATE TABLE archive.invoice_lines (
  legacy_invoice_line_id  int PRIMARY KEY,
  legacy_invoice_id       int NOT NULL,
  legacy_order_id         int,
  legacy_customer_id      int,
  description             text,
  quantity                numeric(18,4),
  unit_price              numeric(19,4),
  amount                  numeric(19,4),
  tax_rate                numeric(5,2),
  legacy_row_version      bigint,
  deleted_at              timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoice_lines_legacy_invoice_id_idx ON archive.invoice_lines (legacy_invoice_id);
`);
  for (const table of TABLES) {
    await knex.raw(touchUpdatedAt(`archive.${table}`));
    await knex.raw(guardArchiveWrite(`archive.${table}`));
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.raw(`DROP TABLE IF EXISTS archive.${table}`);
}
