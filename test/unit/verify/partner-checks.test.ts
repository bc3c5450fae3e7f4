import {
  archiveMappingCheck,
  partnersByVerdict,
  partnerPassed,
  referencesCheck,
  checkResult,
  withScope,
  type ArchiveMapping,
  type CheckResult,
  type MappingCombination,
} from '../../../src/verify';

const passing = (partnerId: number): CheckResult =>
  checkResult({ check: 'integrity', entity: 'references', partnerId, expected: '', actual: '' }, []);
const failing = (partnerId: number): CheckResult =>
  checkResult({ check: 'integrity', entity: 'references', partnerId, expected: '', actual: '' }, [
    { check: 'integrity', entity: 'order', partnerId, legacyKey: '1', kind: 'dangling', detail: 'x' },
  ]);

describe('partner verdicts', () => {
  it('passes a partner only when every check passed, and splits a chunk by verdict in checking order', () => {
    expect(partnerPassed([])).toBe(true);
    expect(partnerPassed([passing(1), failing(1)])).toBe(false);
    const results = new Map([
      [3, [passing(3)]],
      [1, [passing(1), failing(1)]],
      [2, [passing(2)]],
    ]);
    expect(partnersByVerdict(results)).toEqual({ passed: [3, 2], failed: [1] });
  });
});

/** A mapping small enough to read: two order types and statuses, one of each of the rest. */
const MAPPING: ArchiveMapping = {
  orderType: (raw) => (({ new: 'New', renew: 'Renew' }) as Record<string, string>)[raw.toLowerCase()],
  orderStatus: (raw) => (raw === 'Completed' ? 'Completed' : undefined),
  billingFrequency: (raw) => (raw === 'Monthly' ? 'Monthly' : undefined),
  documentType: (raw) => (raw === 'Invoice' ? 'Invoice' : undefined),
  invoiceStatus: (raw) => (raw === 'Open' ? 'Open' : undefined),
  marketplaceOrderType: { New: 'Purchase', Renew: 'Change' },
  marketplaceOrderStatus: { Completed: 'Completed' },
  marketplaceDocumentType: { Invoice: 'Invoice' },
  marketplaceInvoiceStatus: { Open: 'Issued' },
  convertLegacyDateTime: (raw) => (raw.startsWith('1900') ? { kind: 'sentinel' } : { kind: 'instant', utc: `${raw}Z` }),
};
const decision = { partnerId: 7, outcome: 'migrated' as const, accountId: 'ACC-7' };
const combo = (
  entity: MappingCombination['entity'],
  raw: MappingCombination['raw'],
  mapped: MappingCombination['mapped'],
) => ({ entity, raw, mapped, rows: 3, exampleKey: 11 });

describe('archive mapping check', () => {
  it('recomputes each mapped value combination and each ordered_at outlier through the mapping it is given', () => {
    const combos = [
      combo(
        'order',
        { order_type: 'new', status: 'Completed' },
        { marketplace_type: 'Purchase', marketplace_status: 'Completed', account_id: 'ACC-7' },
      ),
      combo(
        'order',
        { order_type: 'Renew', status: 'Draft' },
        { marketplace_type: 'Purchase', marketplace_status: null, account_id: 'ACC-7' },
      ),
      combo('order', { legacy_customer_id: 5 }, { licensee_id: 'LIC-5' }),
      combo('order', { legacy_customer_id: null }, { licensee_id: null }),
      combo('order_line', { billing_frequency_raw: 'Monthly' }, { billing_frequency: 'Monthly' }),
      combo(
        'invoice',
        { document_type_raw: 'Invoice', status: 'Open' },
        { document_type: 'Invoice', marketplace_status: 'Issued', account_id: 'ACC-7' },
      ),
    ];
    const outliers = [
      { key: 20, local: '2024-03-31 02:30:00.000', orderedAt: '2024-03-31 02:30:00.000Z' },
      { key: 21, local: '1900-01-01 00:00:00.000', orderedAt: '1900-01-01T00:00:00Z' },
    ];
    const result = archiveMappingCheck(MAPPING, decision, new Map([[5, 'LIC-5']]), combos, outliers, 'Europe/Zurich');
    expect(result.passed).toBe(false);
    expect(result.expected).toBe('6 mapped value combinations');
    expect(result.discrepancies.map((d) => [d.entity, d.legacyKey, d.columns])).toEqual([
      ['order', '11', [{ column: 'marketplace_type', legacy: 'Change', target: 'Purchase' }]],
      ['order', '21', [{ column: 'ordered_at', legacy: null, target: '1900-01-01T00:00:00Z' }]],
    ]);
  });

  it('expects no licensee and no account of a partner that does not migrate', () => {
    const closed = { partnerId: 7, outcome: 'closed' as const, accountId: null };
    const combos = [
      combo('order', { legacy_customer_id: 5 }, { licensee_id: null }),
      combo(
        'invoice',
        { document_type_raw: 'Invoice', status: 'Open' },
        { document_type: 'Invoice', marketplace_status: 'Issued', account_id: null },
      ),
    ];
    expect(archiveMappingCheck(MAPPING, closed, new Map([[5, 'LIC-5']]), combos, [], 'Europe/Zurich').passed).toBe(
      true,
    );
  });
});

describe('references check', () => {
  it('names unresolved references, orphaned lines and archive ids that are no stored row of the partner', () => {
    const result = referencesCheck(7, [{ entity: 'user', legacyKey: '3', marketplaceId: 'AU-3', detail: 'gone' }], {
      orphans: { order: [{ parentKey: 40, lines: 2 }], invoice: [] },
      combos: [
        combo('order', {}, { account_id: 'ACC-7', licensee_id: 'LIC-9' }),
        combo('invoice', {}, { account_id: 'ACC-8' }),
      ],
      accountIds: new Set(['ACC-7']),
      licenseeIds: new Set(['LIC-5']),
    });
    expect(result.actual).toBe('4 unresolved references');
    expect(result.discrepancies.map((d) => [d.entity, d.legacyKey, d.marketplaceId, d.kind])).toEqual([
      ['user', '3', 'AU-3', 'dangling'],
      ['order', '40', null, 'dangling'],
      ['order', '11', 'LIC-9', 'dangling'],
      ['invoice', '11', 'ACC-8', 'dangling'],
    ]);
    expect(
      referencesCheck(7, [], {
        orphans: { order: [], invoice: [] },
        combos: [],
        accountIds: new Set(),
        licenseeIds: new Set(),
      }).passed,
    ).toBe(true);
  });
});

describe('a scoped check says what it covered', () => {
  const scope = { orders: [4, 5, 5], invoices: [9], subscriptionRefs: ['SUB-1', 'SUB-2'] };
  const result = (entity: string) =>
    checkResult({ check: 'archive_fidelity', entity, partnerId: 7, expected: '3 rows', actual: '3 rows' }, []);

  it.each([
    ['order', '3 rows (scope: 2 orders)'],
    ['order_line', '3 rows (scope: 2 orders)'],
    ['order_money', '3 rows (scope: 2 orders)'],
    ['invoice', '3 rows (scope: 1 invoice)'],
    ['invoice_line', '3 rows (scope: 1 invoice)'],
    ['invoice_money', '3 rows (scope: 1 invoice)'],
    ['subscription', '3 rows (scope: 2 subscription refs)'],
    ['agreement', '3 rows (scope: 2 subscription refs)'],
    ['archive', '3 rows (scope: 2 orders and 1 invoice)'],
    ['references', '3 rows (scope: 2 orders and 1 invoice)'],
    // The account side is checked whole: nothing said.
    ['partner', '3 rows'],
    ['user', '3 rows'],
    ['customer', '3 rows'],
  ])('%s: %s', (entity, expected) => {
    const scoped = withScope(result(entity), scope);
    expect(scoped.expected).toBe(expected);
    expect(scoped.actual).toBe('3 rows');
  });

  it('leaves a result of a partner without a scope as it was', () => {
    const whole = result('order');
    expect(withScope(whole, undefined)).toBe(whole);
  });
});
