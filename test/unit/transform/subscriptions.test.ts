import { idFromText } from '../../../src/core/ids';
import type { BatchResult } from '../../../src/core/outcomes';
import type { SubscriptionRow } from '../../../src/core/target-model';
import { replaySubscriptions, toReplayOrders, type ReplayLine, type ReplayOrder } from '../../../src/transform';
import {
  closed,
  expectCountsInvariant,
  expectNoEmailInDetails,
  migrated,
  order,
  orderLine,
  quarantined,
} from './fixtures';

const LCE_100 = 'LCE-0000-0000-0000-0100';
const LCE_101 = 'LCE-0000-0000-0000-0101';
const LICENSEES: ReadonlyMap<number, string> = new Map([
  [100, LCE_100],
  [101, LCE_101],
]);

function line(over: Partial<ReplayLine> = {}): ReplayLine {
  return {
    subscriptionRef: 'SUB-A',
    sku: 'SKU-1',
    productName: 'Microsoft 365 E3',
    quantity: 10,
    billingFrequency: 'Monthly',
    termMonths: 12,
    ...over,
  };
}

let nextOrderId = 1;
function ro(
  orderType: string,
  orderDateLocal: string,
  lines: ReplayLine[] = [line()],
  over: Partial<ReplayOrder> = {},
): ReplayOrder {
  return { orderId: nextOrderId++, orderType, status: 'Completed', orderDateLocal, customerId: 100, lines, ...over };
}

function replay(orders: ReplayOrder[], decision = migrated): BatchResult {
  const result = replaySubscriptions(decision, orders, LICENSEES);
  expectCountsInvariant(result);
  expectNoEmailInDetails(result);
  return result;
}

function sub(result: BatchResult, ref = 'SUB-A'): SubscriptionRow | undefined {
  return result.rows.subscriptions?.find((row) => row.external_ref === ref);
}

const codes = (result: BatchResult) => result.findings.map((finding) => finding.code);

describe('toReplayOrders', () => {
  it('groups lines under their orders in LineNo order and drops lines of other orders', () => {
    const orders = [order({ OrderId: 1, OrderType: ' New ' }), order({ OrderId: 2, CustomerId: null })];
    const lines = [
      orderLine({ OrderLineId: 12, OrderId: 1, LineNo: 2, SubscriptionRef: '  ' }),
      orderLine({ OrderLineId: 11, OrderId: 1, LineNo: 1 }),
      orderLine({ OrderLineId: 99, OrderId: 3 }),
    ];
    expect(toReplayOrders(orders, lines)).toEqual([
      {
        orderId: 1,
        orderType: ' New ',
        status: 'Completed',
        orderDateLocal: '2024-01-15 12:00:00.000',
        customerId: 100,
        lines: [
          {
            subscriptionRef: 'SUB-A',
            sku: 'CFQ7TTC0LF8Q',
            productName: 'Microsoft 365 E3',
            quantity: 3,
            billingFrequency: 'Monthly',
            termMonths: 12,
          },
          {
            subscriptionRef: null,
            sku: 'CFQ7TTC0LF8Q',
            productName: 'Microsoft 365 E3',
            quantity: 3,
            billingFrequency: 'Monthly',
            termMonths: 12,
          },
        ],
      },
      {
        orderId: 2,
        orderType: 'New',
        status: 'Completed',
        orderDateLocal: '2024-01-15 12:00:00.000',
        customerId: null,
        lines: [],
      },
    ]);
  });
});

describe('replaySubscriptions: New', () => {
  it('creates the subscription and its agreement', () => {
    const result = replay([ro('New', '2024-01-15 12:00:00.000')]);
    const subId = idFromText('subscription', 'SUB-A');
    const agreementId = idFromText('agreement', `${LCE_100}|SKU-1`);
    expect(result.rows.subscriptions).toEqual([
      {
        id: subId,
        agreement_id: agreementId,
        external_ref: 'SUB-A',
        sku: 'SKU-1',
        name: 'Microsoft 365 E3',
        quantity: 10,
        billing_period: '1m',
        term_months: 12,
        start_date: '2024-01-15',
        commitment_date: '2025-01-15',
        termination_date: null,
        auto_renew: true,
        status: 'Active',
      },
    ]);
    expect(result.rows.agreements).toEqual([
      {
        id: agreementId,
        account_id: migrated.accountId,
        buyer_id: migrated.buyerId,
        seller_id: migrated.sellerId,
        licensee_id: LCE_100,
        sku: 'SKU-1',
        name: 'Microsoft 365 E3',
        status: 'Active',
      },
    ]);
    expect(result.idMap).toEqual([{ legacyTable: 'subscription', legacyKey: 'SUB-A', marketplaceId: subId }]);
    expect(result.counts.subscription).toEqual({ extracted: 1, loaded: 1, quarantined: 0, skipped: 0 });
    expect(result.findings).toEqual([]);
  });

  it.each([
    [
      'Monthly',
      12,
      '2024-01-15 12:00:00.000',
      { billing_period: '1m', term_months: 12, start_date: '2024-01-15', commitment_date: '2025-01-15' },
    ],
    [
      ' annual ',
      36,
      '2024-01-15 12:00:00.000',
      { billing_period: '1y', term_months: 36, start_date: '2024-01-15', commitment_date: '2027-01-15' },
    ],
    ['Monthly', null, '2024-05-01 08:00:00.000', { term_months: 12, commitment_date: '2025-05-01' }],
    ['Monthly', 12, '2024-02-29 10:00:00.000', { start_date: '2024-02-29', commitment_date: '2025-02-28' }],
    ['Monthly', 1, '2024-01-31 10:00:00.000', { start_date: '2024-01-31', commitment_date: '2024-02-29' }],
    // 00:30 in Zurich is still the previous day in UTC: the start date is the local date as written.
    ['Monthly', 12, '2024-03-01 00:30:00.000', { start_date: '2024-03-01', commitment_date: '2025-03-01' }],
  ])('frequency %j, term %j, ordered %s', (frequency, termMonths, date, expected) => {
    const result = replay([ro('New', date, [line({ billingFrequency: frequency, termMonths })])]);
    expect(sub(result)).toMatchObject(expected);
  });

  it('creates one subscription per ref and one agreement per licensee and SKU', () => {
    const result = replay([
      ro('New', '2024-01-01 10:00:00.000', [
        line({ subscriptionRef: 'A' }),
        line({ subscriptionRef: 'B' }),
        line({ subscriptionRef: 'C', sku: 'SKU-2', productName: 'Visio' }),
      ]),
      ro('New', '2024-01-02 10:00:00.000', [line({ subscriptionRef: 'D', productName: 'Other name' })], {
        customerId: 101,
      }),
    ]);
    expect(result.rows.subscriptions!.map((row) => row.external_ref)).toEqual(['A', 'B', 'C', 'D']);
    expect(result.rows.agreements!.map((row) => [row.licensee_id, row.sku, row.name])).toEqual([
      [LCE_100, 'SKU-1', 'Microsoft 365 E3'],
      [LCE_100, 'SKU-2', 'Visio'],
      [LCE_101, 'SKU-1', 'Other name'],
    ]);
    const agreementOf = (ref: string) => sub(result, ref)!.agreement_id;
    expect(agreementOf('A')).toBe(agreementOf('B'));
    expect(agreementOf('A')).not.toBe(agreementOf('C'));
    expect(result.counts.subscription?.loaded).toBe(4);
  });

  it('names the agreement after the line that created it, the earliest in replay order', () => {
    const result = replay([
      ro('New', '2024-06-01 10:00:00.000', [line({ subscriptionRef: 'LATE', productName: 'Later name' })]),
      ro('New', '2024-01-01 10:00:00.000', [line({ subscriptionRef: 'EARLY', productName: 'First name' })]),
    ]);
    expect(result.rows.agreements).toHaveLength(1);
    expect(result.rows.agreements![0]!.name).toBe('First name');
  });
});

describe('replaySubscriptions: changes', () => {
  const NEW = () => ro('New', '2024-01-15 12:00:00.000');

  it.each<[string, ReplayOrder[], Partial<SubscriptionRow>, string[]]>([
    ['AddSeats', [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5 })])], { quantity: 15 }, []],
    ['RemoveSeats', [ro('RemoveSeats', '2024-02-01 10:00:00.000', [line({ quantity: 4 })])], { quantity: 6 }, []],
    [
      'RemoveSeats to exactly 1',
      [ro('RemoveSeats', '2024-02-01 10:00:00.000', [line({ quantity: 9 })])],
      { quantity: 1 },
      [],
    ],
    [
      'RemoveSeats below 1: kept, finding',
      [ro('RemoveSeats', '2024-02-01 10:00:00.000', [line({ quantity: 12 })])],
      { quantity: -2 },
      ['negative_quantity'],
    ],
    [
      'below 1 is reported once',
      [
        ro('RemoveSeats', '2024-02-01 10:00:00.000', [line({ quantity: 10 })]),
        ro('RemoveSeats', '2024-02-02 10:00:00.000', [line({ quantity: 1 })]),
      ],
      { quantity: -1 },
      ['negative_quantity'],
    ],
    ['Renew adds the term', [ro('Renew', '2024-12-01 10:00:00.000')], { commitment_date: '2026-01-15' }, []],
    [
      'Renew twice',
      [ro('Renew', '2024-12-01 10:00:00.000'), ro('Renew', '2025-12-01 10:00:00.000')],
      { commitment_date: '2027-01-15' },
      [],
    ],
    ['AutoRenewToggle', [ro('AutoRenewToggle', '2024-03-01 10:00:00.000')], { auto_renew: false }, []],
    [
      'AutoRenewToggle twice',
      [ro('AutoRenewToggle', '2024-03-01 10:00:00.000'), ro('AutoRenewToggle', '2024-03-02 10:00:00.000')],
      { auto_renew: true },
      [],
    ],
    ['Cancel', [ro('Cancel', '2024-06-30 23:30:00.000')], { status: 'Terminated', termination_date: '2024-06-30' }, []],
    [
      'effects apply after Cancel',
      [ro('Cancel', '2024-06-01 10:00:00.000'), ro('AddSeats', '2024-06-02 10:00:00.000', [line({ quantity: 1 })])],
      { status: 'Terminated', quantity: 11 },
      [],
    ],
    [
      'below 1 on a terminated subscription is no finding',
      [ro('Cancel', '2024-06-01 10:00:00.000'), ro('RemoveSeats', '2024-06-02 10:00:00.000', [line({ quantity: 20 })])],
      { quantity: -10 },
      [],
    ],
    [
      'status spelled Complete counts',
      [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 1 })], { status: 'Complete' })],
      { quantity: 11 },
      [],
    ],
    [
      'order type spelled loosely',
      [ro('add-seats', '2024-02-01 10:00:00.000', [line({ quantity: 1 })])],
      { quantity: 11 },
      [],
    ],
  ])('%s', (_label, changes, expected, findingCodes) => {
    const result = replay([NEW(), ...changes]);
    expect(sub(result)).toMatchObject(expected);
    expect(codes(result)).toEqual(findingCodes);
    expect(
      result.findings.every(
        (finding) =>
          finding.entity === 'subscription' && finding.legacyKey === 'SUB-A' && finding.legacyPartnerId === 42,
      ),
    ).toBe(true);
  });

  it.each<[string, ReplayOrder[]]>([
    ['not Completed', [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5 })], { status: 'Submitted' })]],
    ['failed', [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5 })], { status: 'Failed' })]],
    [
      'customer not migrated',
      [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5 })], { customerId: 555 })],
    ],
    ['no customer', [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5 })], { customerId: null })]],
    [
      'OneTime line',
      [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5, billingFrequency: 'One Time' })])],
    ],
    ['line without a ref', [ro('AddSeats', '2024-02-01 10:00:00.000', [line({ quantity: 5, subscriptionRef: null })])]],
  ])('ignores a change whose order is %s', (_label, changes) => {
    const result = replay([NEW(), ...changes]);
    expect(sub(result)).toMatchObject({ quantity: 10 });
    expect(result.findings).toEqual([]);
  });

  it('replays in (OrderDate, OrderId) order whatever the input order', () => {
    const create = ro('New', '2024-01-15 12:00:00.000', [line({ quantity: 1 })], { orderId: 10 });
    const add = ro('AddSeats', '2024-01-15 12:00:00.000', [line({ quantity: 2 })], { orderId: 11 });
    const cancel = ro('Cancel', '2024-03-01 09:00:00.000', [line()], { orderId: 5 });
    for (const orders of [
      [cancel, add, create],
      [add, create, cancel],
      [create, add, cancel],
    ]) {
      const result = replay(orders);
      expect(sub(result)).toMatchObject({ quantity: 3, status: 'Terminated', termination_date: '2024-03-01' });
      expect(result.findings).toEqual([]);
    }
  });

  it.each(['AddSeats', 'RemoveSeats', 'Renew', 'AutoRenewToggle', 'Cancel'])(
    '%s before any purchase: subscription_without_purchase',
    (type) => {
      const result = replay([ro(type, '2024-01-01 10:00:00.000'), ro('New', '2024-02-01 10:00:00.000')]);
      expect(codes(result)).toEqual(['subscription_without_purchase']);
      expect(sub(result)).toMatchObject({
        quantity: 10,
        status: 'Active',
        auto_renew: true,
        commitment_date: '2025-02-01',
      });
    },
  );

  it('a change to a subscription never created changes nothing and creates nothing', () => {
    const result = replay([ro('AddSeats', '2024-01-01 10:00:00.000', [line({ subscriptionRef: 'GHOST' })])]);
    expect(result.rows.subscriptions ?? []).toEqual([]);
    expect(result.rows.agreements ?? []).toEqual([]);
    expect(result.findings).toEqual([
      {
        entity: 'subscription',
        legacyKey: 'GHOST',
        legacyPartnerId: 42,
        code: 'subscription_without_purchase',
        detail: expect.any(String),
      },
    ]);
    expect(result.counts.subscription).toEqual({ extracted: 0, loaded: 0, quarantined: 0, skipped: 0 });
  });

  it('New with quantity below 1 keeps it, with a finding', () => {
    const result = replay([ro('New', '2024-01-01 10:00:00.000', [line({ quantity: 0 })])]);
    expect(sub(result)).toMatchObject({ quantity: 0, status: 'Active' });
    expect(codes(result)).toEqual(['negative_quantity']);
  });

  it('New with an unknown billing frequency creates nothing, with a finding', () => {
    const result = replay([ro('New', '2024-01-01 10:00:00.000', [line({ billingFrequency: 'Weekly' })])]);
    expect(result.rows.subscriptions ?? []).toEqual([]);
    expect(codes(result)).toEqual(['unknown_enum']);
  });

  it('an unknown order type on a subscription line is a finding', () => {
    const result = replay([NEW(), ro('Upgrade', '2024-02-01 10:00:00.000')]);
    expect(sub(result)).toMatchObject({ quantity: 10 });
    expect(codes(result)).toEqual(['unknown_enum']);
  });
});

describe('replaySubscriptions: agreements', () => {
  it.each<[string, ReplayOrder[], 'Active' | 'Terminated']>([
    ['one active subscription', [ro('New', '2024-01-01 10:00:00.000', [line({ subscriptionRef: 'A' })])], 'Active'],
    [
      'all terminated',
      [
        ro('New', '2024-01-01 10:00:00.000', [line({ subscriptionRef: 'A' }), line({ subscriptionRef: 'B' })]),
        ro('Cancel', '2024-02-01 10:00:00.000', [line({ subscriptionRef: 'A' }), line({ subscriptionRef: 'B' })]),
      ],
      'Terminated',
    ],
    [
      'one of two still active',
      [
        ro('New', '2024-01-01 10:00:00.000', [line({ subscriptionRef: 'A' }), line({ subscriptionRef: 'B' })]),
        ro('Cancel', '2024-02-01 10:00:00.000', [line({ subscriptionRef: 'A' })]),
      ],
      'Active',
    ],
  ])('%s -> %s', (_label, orders, status) => {
    const result = replay(orders);
    expect(result.rows.agreements!.map((row) => row.status)).toEqual([status]);
  });
});

describe('replaySubscriptions: partners and ids', () => {
  it.each([[closed], [quarantined]])('a %j partner yields nothing, not even quarantine rows', (decision) => {
    const result = replay([ro('New', '2024-01-01 10:00:00.000')], decision);
    expect(result.rows.subscriptions ?? []).toEqual([]);
    expect(result.quarantined).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.counts.subscription).toEqual({ extracted: 0, loaded: 0, quarantined: 0, skipped: 0 });
  });

  it('is stable: replaying twice, in any input order, yields the same rows and ids', () => {
    const orders = [
      ro('New', '2024-01-01 10:00:00.000', [
        line({ subscriptionRef: 'A' }),
        line({ subscriptionRef: 'B', sku: 'SKU-2' }),
      ]),
      ro('AddSeats', '2024-02-01 10:00:00.000', [line({ subscriptionRef: 'A', quantity: 3 })]),
    ];
    const first = replay(orders);
    expect(replay([...orders].reverse())).toEqual(first);
    expect(first.rows.subscriptions!.map((row) => row.id)).toEqual([
      idFromText('subscription', 'A'),
      idFromText('subscription', 'B'),
    ]);
    for (const row of first.rows.subscriptions!) expect(row.id).toMatch(/^SUB(-\d{4}){4}$/);
    for (const row of first.rows.agreements!) expect(row.id).toMatch(/^AGR(-\d{4}){4}$/);
  });

  it('replays legacy rows end to end through toReplayOrders', () => {
    const orders = [
      order({ OrderId: 1, OrderType: 'New', OrderDate: '2024-01-10 09:00:00.000' }),
      order({ OrderId: 2, OrderType: 'RemoveSeats', OrderDate: '2024-02-10 09:00:00.000', Status: 'Complete' }),
      order({ OrderId: 3, OrderType: 'AddSeats', OrderDate: '2024-03-10 09:00:00.000', Status: 'Draft' }),
    ];
    const lines = [
      orderLine({ OrderLineId: 1, OrderId: 1, Quantity: 5 }),
      orderLine({ OrderLineId: 2, OrderId: 2, Quantity: 2 }),
      orderLine({ OrderLineId: 3, OrderId: 3, Quantity: 50 }),
      orderLine({
        OrderLineId: 4,
        OrderId: 1,
        LineNo: 2,
        BillingFrequency: 'OneTime',
        SubscriptionRef: null,
        Sku: 'SETUP',
      }),
    ];
    const result = replay(toReplayOrders(orders, lines));
    expect(result.rows.subscriptions).toEqual([
      expect.objectContaining({ external_ref: 'SUB-A', sku: 'CFQ7TTC0LF8Q', quantity: 3, start_date: '2024-01-10' }),
    ]);
  });
});
