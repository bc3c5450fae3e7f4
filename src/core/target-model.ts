/**
 * The target tables the pipeline writes, as one descriptor per table: column names and
 * PostgreSQL types in the order COPY sends them, and the key an upsert conflicts on.
 * Transform produces rows of these shapes; load writes them; verify reads them back. The
 * migrations in `migrations/target/` create the tables; a test holds the two in step.
 *
 * Row values: text as string, integers as number, numeric as exact decimal string,
 * booleans, `timestamptz` as ISO 8601 UTC string, `date` as `YYYY-MM-DD`, `text[]` as string[].
 */
export type ColumnType =
  'text' | 'int' | 'bigint' | 'numeric' | 'boolean' | 'timestamptz' | 'timestamp' | 'date' | 'uuid' | 'text[]';

export interface TableSpec<Row> {
  /** Schema-qualified name. */
  readonly name: string;
  readonly columns: ReadonlyArray<{ readonly name: keyof Row & string; readonly type: ColumnType }>;
  /** Columns of the unique constraint an upsert conflicts on. */
  readonly conflict: ReadonlyArray<keyof Row & string>;
}

type Nullable<T> = T | null;

export interface AccountRow {
  id: string;
  legacy_partner_id: number;
  type: 'Client';
  name: string;
  status: 'Active' | 'Disabled';
  partner: boolean;
  external_id: string;
  mpn_id: Nullable<string>;
}
export interface BuyerRow {
  id: string;
  legacy_partner_id: number;
  account_id: string;
  seller_id: string;
  name: string;
  tax_id: Nullable<string>;
  address_line1: Nullable<string>;
  city: Nullable<string>;
  post_code: Nullable<string>;
  country: string;
  currency: string;
  contact_email: Nullable<string>;
  status: 'Active' | 'Disabled';
}
export interface LicenseeRow {
  id: string;
  legacy_customer_id: number;
  account_id: string;
  buyer_id: string;
  seller_id: string;
  name: string;
  resale: boolean;
  external_id: string;
  tenant_id: Nullable<string>;
  primary_domain: Nullable<string>;
  country: Nullable<string>;
  city: Nullable<string>;
  contact_email: Nullable<string>;
  /** `Deleted` once its customer is soft-deleted or quarantined after it migrated. */
  status: 'Active' | 'Deleted';
}
export interface UserRow {
  id: string;
  email: string;
  first_name: Nullable<string>;
  last_name: Nullable<string>;
  status: 'Active';
  /** The lowest legacy UserId with this e-mail seen so far: its names win, whatever order workers run in. */
  source_legacy_user_id: number;
}
export interface AccountUserRow {
  id: string;
  legacy_user_id: number;
  account_id: string;
  user_id: string;
  group_name: 'Administrators' | 'Users';
  invitation_status: 'Invited' | 'Active' | 'InvitationExpired';
  invited_at: Nullable<string>;
  invitation_expires_at: Nullable<string>;
  /** `Deleted` once its legacy user is no longer migrated (deactivated, quarantined) after it was. */
  status: 'Active' | 'Deleted';
}
export interface AgreementRow {
  id: string;
  account_id: string;
  buyer_id: string;
  seller_id: string;
  licensee_id: string;
  sku: string;
  name: string;
  status: 'Active' | 'Terminated';
}
export interface SubscriptionRow {
  id: string;
  agreement_id: string;
  external_ref: string;
  sku: string;
  name: string;
  quantity: number;
  billing_period: '1m' | '1y';
  term_months: number;
  start_date: string;
  commitment_date: string;
  termination_date: Nullable<string>;
  auto_renew: boolean;
  status: 'Active' | 'Terminated';
}
export interface ArchiveOrderRow {
  legacy_order_id: number;
  order_number: string;
  legacy_partner_id: number;
  account_id: Nullable<string>;
  legacy_customer_id: Nullable<number>;
  licensee_id: Nullable<string>;
  order_type: string;
  marketplace_type: Nullable<string>;
  status: string;
  marketplace_status: Nullable<string>;
  ordered_at: Nullable<string>;
  order_date_local: string;
  currency: string;
  total_amount: string;
  po_number: Nullable<string>;
  created_by: Nullable<string>;
  legacy_row_version: string;
}
export interface ArchiveOrderLineRow {
  legacy_order_line_id: number;
  legacy_order_id: number;
  line_no: number;
  sku: string;
  product_name: string;
  quantity: number;
  unit_price: string;
  line_total: string;
  billing_frequency: Nullable<string>;
  billing_frequency_raw: string;
  term_months: Nullable<number>;
  subscription_ref: Nullable<string>;
  legacy_row_version: string;
}
export interface ArchiveInvoiceRow {
  legacy_invoice_id: number;
  invoice_number: string;
  legacy_partner_id: number;
  account_id: Nullable<string>;
  document_type: Nullable<'Invoice' | 'CreditMemo'>;
  document_type_raw: string;
  invoice_date: string;
  due_date: Nullable<string>;
  currency: string;
  net_amount: string;
  tax_amount: string;
  gross_amount: string;
  status: string;
  marketplace_status: Nullable<string>;
  legacy_row_version: string;
}
export interface ArchiveInvoiceLineRow {
  legacy_invoice_line_id: number;
  legacy_invoice_id: number;
  legacy_order_id: Nullable<number>;
  legacy_customer_id: Nullable<number>;
  description: string;
  quantity: string;
  unit_price: string;
  amount: string;
  tax_rate: string;
  legacy_row_version: string;
}

const c = <Row>(name: keyof Row & string, type: ColumnType) => ({ name, type });

export const TARGET_TABLES = {
  accounts: {
    name: 'marketplace.accounts',
    columns: [
      c<AccountRow>('id', 'text'),
      c<AccountRow>('legacy_partner_id', 'int'),
      c<AccountRow>('type', 'text'),
      c<AccountRow>('name', 'text'),
      c<AccountRow>('status', 'text'),
      c<AccountRow>('partner', 'boolean'),
      c<AccountRow>('external_id', 'text'),
      c<AccountRow>('mpn_id', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<AccountRow>,
  buyers: {
    name: 'marketplace.buyers',
    columns: [
      c<BuyerRow>('id', 'text'),
      c<BuyerRow>('legacy_partner_id', 'int'),
      c<BuyerRow>('account_id', 'text'),
      c<BuyerRow>('seller_id', 'text'),
      c<BuyerRow>('name', 'text'),
      c<BuyerRow>('tax_id', 'text'),
      c<BuyerRow>('address_line1', 'text'),
      c<BuyerRow>('city', 'text'),
      c<BuyerRow>('post_code', 'text'),
      c<BuyerRow>('country', 'text'),
      c<BuyerRow>('currency', 'text'),
      c<BuyerRow>('contact_email', 'text'),
      c<BuyerRow>('status', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<BuyerRow>,
  licensees: {
    name: 'marketplace.licensees',
    columns: [
      c<LicenseeRow>('id', 'text'),
      c<LicenseeRow>('legacy_customer_id', 'int'),
      c<LicenseeRow>('account_id', 'text'),
      c<LicenseeRow>('buyer_id', 'text'),
      c<LicenseeRow>('seller_id', 'text'),
      c<LicenseeRow>('name', 'text'),
      c<LicenseeRow>('resale', 'boolean'),
      c<LicenseeRow>('external_id', 'text'),
      c<LicenseeRow>('tenant_id', 'uuid'),
      c<LicenseeRow>('primary_domain', 'text'),
      c<LicenseeRow>('country', 'text'),
      c<LicenseeRow>('city', 'text'),
      c<LicenseeRow>('contact_email', 'text'),
      c<LicenseeRow>('status', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<LicenseeRow>,
  users: {
    name: 'marketplace.users',
    columns: [
      c<UserRow>('id', 'text'),
      c<UserRow>('email', 'text'),
      c<UserRow>('first_name', 'text'),
      c<UserRow>('last_name', 'text'),
      c<UserRow>('status', 'text'),
      c<UserRow>('source_legacy_user_id', 'int'),
    ],
    conflict: ['id'],
  } as TableSpec<UserRow>,
  account_users: {
    name: 'marketplace.account_users',
    columns: [
      c<AccountUserRow>('id', 'text'),
      c<AccountUserRow>('legacy_user_id', 'int'),
      c<AccountUserRow>('account_id', 'text'),
      c<AccountUserRow>('user_id', 'text'),
      c<AccountUserRow>('group_name', 'text'),
      c<AccountUserRow>('invitation_status', 'text'),
      c<AccountUserRow>('invited_at', 'timestamptz'),
      c<AccountUserRow>('invitation_expires_at', 'timestamptz'),
      c<AccountUserRow>('status', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<AccountUserRow>,
  agreements: {
    name: 'marketplace.agreements',
    columns: [
      c<AgreementRow>('id', 'text'),
      c<AgreementRow>('account_id', 'text'),
      c<AgreementRow>('buyer_id', 'text'),
      c<AgreementRow>('seller_id', 'text'),
      c<AgreementRow>('licensee_id', 'text'),
      c<AgreementRow>('sku', 'text'),
      c<AgreementRow>('name', 'text'),
      c<AgreementRow>('status', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<AgreementRow>,
  subscriptions: {
    name: 'marketplace.subscriptions',
    columns: [
      c<SubscriptionRow>('id', 'text'),
      c<SubscriptionRow>('agreement_id', 'text'),
      c<SubscriptionRow>('external_ref', 'text'),
      c<SubscriptionRow>('sku', 'text'),
      c<SubscriptionRow>('name', 'text'),
      c<SubscriptionRow>('quantity', 'int'),
      c<SubscriptionRow>('billing_period', 'text'),
      c<SubscriptionRow>('term_months', 'int'),
      c<SubscriptionRow>('start_date', 'date'),
      c<SubscriptionRow>('commitment_date', 'date'),
      c<SubscriptionRow>('termination_date', 'date'),
      c<SubscriptionRow>('auto_renew', 'boolean'),
      c<SubscriptionRow>('status', 'text'),
    ],
    conflict: ['id'],
  } as TableSpec<SubscriptionRow>,
  archive_orders: {
    name: 'archive.orders',
    columns: [
      c<ArchiveOrderRow>('legacy_order_id', 'int'),
      c<ArchiveOrderRow>('order_number', 'text'),
      c<ArchiveOrderRow>('legacy_partner_id', 'int'),
      c<ArchiveOrderRow>('account_id', 'text'),
      c<ArchiveOrderRow>('legacy_customer_id', 'int'),
      c<ArchiveOrderRow>('licensee_id', 'text'),
      c<ArchiveOrderRow>('order_type', 'text'),
      c<ArchiveOrderRow>('marketplace_type', 'text'),
      c<ArchiveOrderRow>('status', 'text'),
      c<ArchiveOrderRow>('marketplace_status', 'text'),
      c<ArchiveOrderRow>('ordered_at', 'timestamptz'),
      c<ArchiveOrderRow>('order_date_local', 'timestamp'),
      c<ArchiveOrderRow>('currency', 'text'),
      c<ArchiveOrderRow>('total_amount', 'numeric'),
      c<ArchiveOrderRow>('po_number', 'text'),
      c<ArchiveOrderRow>('created_by', 'text'),
      c<ArchiveOrderRow>('legacy_row_version', 'bigint'),
    ],
    conflict: ['legacy_order_id'],
  } as TableSpec<ArchiveOrderRow>,
  archive_order_lines: {
    name: 'archive.order_lines',
    columns: [
      c<ArchiveOrderLineRow>('legacy_order_line_id', 'int'),
      c<ArchiveOrderLineRow>('legacy_order_id', 'int'),
      c<ArchiveOrderLineRow>('line_no', 'int'),
      c<ArchiveOrderLineRow>('sku', 'text'),
      c<ArchiveOrderLineRow>('product_name', 'text'),
      c<ArchiveOrderLineRow>('quantity', 'int'),
      c<ArchiveOrderLineRow>('unit_price', 'numeric'),
      c<ArchiveOrderLineRow>('line_total', 'numeric'),
      c<ArchiveOrderLineRow>('billing_frequency', 'text'),
      c<ArchiveOrderLineRow>('billing_frequency_raw', 'text'),
      c<ArchiveOrderLineRow>('term_months', 'int'),
      c<ArchiveOrderLineRow>('subscription_ref', 'text'),
      c<ArchiveOrderLineRow>('legacy_row_version', 'bigint'),
    ],
    conflict: ['legacy_order_line_id'],
  } as TableSpec<ArchiveOrderLineRow>,
  archive_invoices: {
    name: 'archive.invoices',
    columns: [
      c<ArchiveInvoiceRow>('legacy_invoice_id', 'int'),
      c<ArchiveInvoiceRow>('invoice_number', 'text'),
      c<ArchiveInvoiceRow>('legacy_partner_id', 'int'),
      c<ArchiveInvoiceRow>('account_id', 'text'),
      c<ArchiveInvoiceRow>('document_type', 'text'),
      c<ArchiveInvoiceRow>('document_type_raw', 'text'),
      c<ArchiveInvoiceRow>('invoice_date', 'date'),
      c<ArchiveInvoiceRow>('due_date', 'date'),
      c<ArchiveInvoiceRow>('currency', 'text'),
      c<ArchiveInvoiceRow>('net_amount', 'numeric'),
      c<ArchiveInvoiceRow>('tax_amount', 'numeric'),
      c<ArchiveInvoiceRow>('gross_amount', 'numeric'),
      c<ArchiveInvoiceRow>('status', 'text'),
      c<ArchiveInvoiceRow>('marketplace_status', 'text'),
      c<ArchiveInvoiceRow>('legacy_row_version', 'bigint'),
    ],
    conflict: ['legacy_invoice_id'],
  } as TableSpec<ArchiveInvoiceRow>,
  archive_invoice_lines: {
    name: 'archive.invoice_lines',
    columns: [
      c<ArchiveInvoiceLineRow>('legacy_invoice_line_id', 'int'),
      c<ArchiveInvoiceLineRow>('legacy_invoice_id', 'int'),
      c<ArchiveInvoiceLineRow>('legacy_order_id', 'int'),
      c<ArchiveInvoiceLineRow>('legacy_customer_id', 'int'),
      c<ArchiveInvoiceLineRow>('description', 'text'),
      c<ArchiveInvoiceLineRow>('quantity', 'numeric'),
      c<ArchiveInvoiceLineRow>('unit_price', 'numeric'),
      c<ArchiveInvoiceLineRow>('amount', 'numeric'),
      c<ArchiveInvoiceLineRow>('tax_rate', 'numeric'),
      c<ArchiveInvoiceLineRow>('legacy_row_version', 'bigint'),
    ],
    conflict: ['legacy_invoice_line_id'],
  } as TableSpec<ArchiveInvoiceLineRow>,
} as const;

export type TargetTableKey = keyof typeof TARGET_TABLES;

/** Rows per target table, in the order load writes them (parents before children). */
export interface TargetRows {
  accounts: AccountRow[];
  buyers: BuyerRow[];
  users: UserRow[];
  account_users: AccountUserRow[];
  licensees: LicenseeRow[];
  agreements: AgreementRow[];
  subscriptions: SubscriptionRow[];
  archive_orders: ArchiveOrderRow[];
  archive_order_lines: ArchiveOrderLineRow[];
  archive_invoices: ArchiveInvoiceRow[];
  archive_invoice_lines: ArchiveInvoiceLineRow[];
}

export const LOAD_ORDER: ReadonlyArray<TargetTableKey> = [
  'accounts',
  'buyers',
  'users',
  'account_users',
  'licensees',
  'agreements',
  'subscriptions',
  'archive_orders',
  'archive_order_lines',
  'archive_invoices',
  'archive_invoice_lines',
];
