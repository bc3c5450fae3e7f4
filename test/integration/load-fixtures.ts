import type { BatchResult } from '../../src/core/outcomes';
import type {
  AccountRow, AccountUserRow, AgreementRow, ArchiveInvoiceLineRow, ArchiveInvoiceRow, ArchiveOrderLineRow, ArchiveOrderRow,
  BuyerRow, LicenseeRow, SubscriptionRow, UserRow,
} from '../../src/core/target-model';

/** A small, valid batch touching every target table, for partner `partnerId`. */
export function sampleBatch(partnerId = 7): BatchResult {
  const p = String(partnerId).padStart(4, '0');
  const account: AccountRow = {
    id: `ACC-0000-0000-0000-${p}`, legacy_partner_id: partnerId, type: 'Client', name: 'Contoso AG', status: 'Active',
    partner: true, external_id: `P${p}`, mpn_id: null,
  };
  const buyer: BuyerRow = {
    id: `BUY-0000-0000-0000-${p}`, legacy_partner_id: partnerId, account_id: account.id, seller_id: 'SEL-0000-0000-0000-0006',
    name: 'Contoso AG', tax_id: 'CHE-123', address_line1: 'Bahnhofstr. 1', city: 'Zürich', post_code: '8001', country: 'CH',
    currency: 'CHF', contact_email: `billing${p}@contoso.example`, status: 'Active',
  };
  const user: UserRow = {
    id: `USR-0000-0000-0000-${p}`, email: `anna${p}@contoso.example`, first_name: 'Anna', last_name: 'Muster', status: 'Active',
    source_legacy_user_id: partnerId * 10,
  };
  const accountUser: AccountUserRow = {
    id: `AUSR-0000-0000-0000-${p}`, legacy_user_id: partnerId * 10, account_id: account.id, user_id: user.id,
    group_name: 'Administrators', invitation_status: 'Invited', invited_at: '2024-03-01T10:00:00.000Z',
    invitation_expires_at: '2024-03-08T10:00:00.000Z',
  };
  const licensee: LicenseeRow = {
    id: `LCE-0000-0000-0000-${p}`, legacy_customer_id: partnerId * 100, account_id: account.id, buyer_id: buyer.id,
    seller_id: buyer.seller_id, name: 'Fabrikam', resale: true, external_id: String(partnerId * 100),
    tenant_id: '0f8fad5b-d9cb-469f-a165-70867728950e', primary_domain: 'fabrikam.example', country: 'CH', city: 'Bern',
    contact_email: null, status: 'Active',
  };
  const agreement: AgreementRow = {
    id: `AGR-0000-0000-0000-${p}`, account_id: account.id, buyer_id: buyer.id, seller_id: buyer.seller_id,
    licensee_id: licensee.id, sku: 'M365-E3', name: 'Microsoft 365 E3', status: 'Active',
  };
  const subscription: SubscriptionRow = {
    id: `SUB-0000-0000-0000-${p}`, agreement_id: agreement.id, external_ref: `SUBREF-${p}`, sku: 'M365-E3',
    name: 'Microsoft 365 E3', quantity: 25, billing_period: '1m', term_months: 12, start_date: '2024-02-29',
    commitment_date: '2025-02-28', termination_date: null, auto_renew: true, status: 'Active',
  };
  const order: ArchiveOrderRow = {
    legacy_order_id: partnerId * 1000, order_number: `ORD-${p}`, legacy_partner_id: partnerId, account_id: account.id,
    legacy_customer_id: licensee.legacy_customer_id, licensee_id: licensee.id, order_type: 'New', marketplace_type: 'Purchase',
    status: 'Completed', marketplace_status: 'Completed', ordered_at: '2024-02-29T09:30:00.000Z',
    order_date_local: '2024-02-29 10:30:00.000', currency: 'CHF', total_amount: '250.0000', po_number: null,
    created_by: 'anna@contoso.example', legacy_row_version: '9007199254740993',
  };
  const orderLine: ArchiveOrderLineRow = {
    legacy_order_line_id: partnerId * 1000 + 1, legacy_order_id: order.legacy_order_id, line_no: 1, sku: 'M365-E3',
    product_name: 'Microsoft 365 E3', quantity: 25, unit_price: '10.0000', line_total: '250.0000', billing_frequency: 'Monthly',
    billing_frequency_raw: 'monthly ', term_months: null, subscription_ref: `SUBREF-${p}`, legacy_row_version: '101',
  };
  const invoice: ArchiveInvoiceRow = {
    legacy_invoice_id: partnerId * 1000, invoice_number: `INV-${p}`, legacy_partner_id: partnerId, account_id: account.id,
    document_type: 'CreditMemo', document_type_raw: 'Credit Note', invoice_date: '2024-03-31', due_date: null, currency: 'chx',
    net_amount: '-100.0000', tax_amount: '-8.1000', gross_amount: '-108.1000', status: 'Open', marketplace_status: null,
    legacy_row_version: '102',
  };
  const invoiceLine: ArchiveInvoiceLineRow = {
    legacy_invoice_line_id: partnerId * 1000 + 1, legacy_invoice_id: invoice.legacy_invoice_id, legacy_order_id: null,
    legacy_customer_id: null, description: 'Gutschrift\tMärz\n"quoted" \\ back', quantity: '1.5000', unit_price: '-66.6667',
    amount: '-100.0000', tax_rate: '8.10', legacy_row_version: '103',
  };
  return {
    rows: {
      accounts: [account], buyers: [buyer], users: [user], account_users: [accountUser], licensees: [licensee],
      agreements: [agreement], subscriptions: [subscription], archive_orders: [order], archive_order_lines: [orderLine],
      archive_invoices: [invoice], archive_invoice_lines: [invoiceLine],
    },
    quarantined: [{ entity: 'customer', legacyKey: String(partnerId * 100 + 1), legacyPartnerId: partnerId, reason: 'duplicate_tenant', detail: 'same tenant as 700', raw: { CustomerId: partnerId * 100 + 1 } }],
    skipped: [{ entity: 'user', legacyKey: String(partnerId * 10 + 1), legacyPartnerId: partnerId, reason: 'inactive_user', detail: 'IsActive = 0', raw: { UserId: partnerId * 10 + 1 } }],
    findings: [{ entity: 'invoice', legacyKey: String(invoice.legacy_invoice_id), legacyPartnerId: partnerId, code: 'invalid_currency', detail: 'CHX' }],
    idMap: [
      { legacyTable: 'partner', legacyKey: String(partnerId), marketplaceId: account.id },
      { legacyTable: 'customer', legacyKey: String(licensee.legacy_customer_id), marketplaceId: licensee.id },
      { legacyTable: 'user', legacyKey: String(accountUser.legacy_user_id), marketplaceId: accountUser.id },
      { legacyTable: 'user_email', legacyKey: user.email, marketplaceId: user.id },
      { legacyTable: 'subscription', legacyKey: subscription.external_ref, marketplaceId: subscription.id },
    ],
    counts: { partner: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 } },
  };
}
