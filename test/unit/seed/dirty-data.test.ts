import type { SeedRow } from '../../../src/seed';
import { SELLER_COUNTRIES, collectPortal, isValidEmail, normaliseEnum } from './portal-fixture';

const DOCUMENTED = {
  partnerStatus: ['active', 'suspended', 'closed'],
  role: ['admin', 'finance', 'sales', 'readonly'],
  orderType: ['new', 'addseats', 'removeseats', 'cancel', 'renew', 'autorenewtoggle'],
  orderStatus: ['draft', 'submitted', 'inprogress', 'completed', 'failed', 'cancelled'],
  frequency: ['monthly', 'annual', 'onetime'],
};

function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return new Date(last.getTime() - last.getUTCDay() * 86_400_000).toISOString().slice(0, 10);
}
function dstEdge(value: unknown, month: 2 | 9): boolean {
  if (typeof value !== 'string' || !value.includes(' 02:')) return false;
  return value.slice(0, 10) === lastSunday(Number(value.slice(0, 4)), month);
}
const count = (rows: SeedRow[], test: (row: SeedRow) => boolean) => rows.filter(test).length;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

describe('dirty data in a 200-partner portal (README "What production data looks like", MAPPING.md codes)', () => {
  const { rows } = collectPortal({ partners: 200, seed: 1 });
  const { Partners, PartnerUsers, Customers, Orders, OrderLines, Invoices } = rows;
  const allText = Object.values(rows).flatMap((tableRows) =>
    tableRows.flatMap((row) => Object.values(row).filter((value): value is string => typeof value === 'string')),
  );
  const liveCustomers = new Set(Customers.filter((row) => row.IsDeleted === 0).map((row) => row.CustomerId));
  const deletedCustomers = new Set(Customers.filter((row) => row.IsDeleted === 1).map((row) => row.CustomerId));
  const partnerOf = new Map(Partners.map((row) => [row.PartnerId, row]));

  const kinds: Record<string, number> = {
    'code with stray case': count(Partners, (row) => text(row.PartnerCode) !== text(row.PartnerCode).toUpperCase()),
    'code with stray whitespace': count(Partners, (row) => text(row.PartnerCode) !== text(row.PartnerCode).trim()),
    'e-mail in mixed case': count(PartnerUsers, (row) => /[A-Z]/.test(text(row.Email)) && isValidEmail(row.Email)),
    'e-mail with surrounding whitespace': count(PartnerUsers, (row) => text(row.Email) !== text(row.Email).trim()),
    'e-mail with inner space': count([...PartnerUsers, ...Customers], (row) =>
      / /.test(text(row.Email ?? row.ContactEmail).trim()),
    ),
    'e-mail empty': count(
      [...PartnerUsers, ...Customers, ...Partners],
      (row) => (row.Email ?? row.ContactEmail ?? row.PrimaryEmail) === '',
    ),
    "e-mail 'n/a'": count([...PartnerUsers, ...Customers, ...Partners], (row) =>
      /^n\/a$/i.test(text(row.Email ?? row.ContactEmail ?? row.PrimaryEmail)),
    ),
    'invalid partner PrimaryEmail (finding invalid_email)': count(
      Partners,
      (row) => row.PrimaryEmail !== null && !isValidEmail(row.PrimaryEmail),
    ),
    'invalid customer ContactEmail (finding invalid_email)': count(
      Customers,
      (row) => row.ContactEmail !== null && !isValidEmail(row.ContactEmail),
    ),
    'inactive users (inactive_user)': count(PartnerUsers, (row) => row.IsActive === 0),
    'unknown roles (unknown_enum)': count(PartnerUsers, (row) => !DOCUMENTED.role.includes(normaliseEnum(row.Role))),
    'role spelling variants': count(
      PartnerUsers,
      (row) =>
        DOCUMENTED.role.includes(normaliseEnum(row.Role)) &&
        !['Admin', 'Finance', 'Sales', 'ReadOnly'].includes(text(row.Role)),
    ),
    "country 'UK'": count([...Partners, ...Customers], (row) => row.CountryCode === 'UK'),
    'country in lower case': count([...Partners, ...Customers], (row) => /^[a-z]{2}$/.test(text(row.CountryCode))),
    'partner country invalid (no_seller_for_country)': count(
      Partners,
      (row) => !/^[A-Z]{2}$/i.test(text(row.CountryCode).trim()) || text(row.CountryCode).toUpperCase() === 'XX',
    ),
    'partner country without seller (no_seller_for_country)': count(
      Partners,
      (row) =>
        /^[A-Z]{2}$/.test(text(row.CountryCode)) &&
        !SELLER_COUNTRIES.has(text(row.CountryCode)) &&
        !['UK', 'XX', 'EL'].includes(text(row.CountryCode)),
    ),
    'customer country invalid (invalid_country)': count(
      Customers,
      (row) => row.CountryCode !== null && !/^[A-Z]{2}$/i.test(text(row.CountryCode).trim()),
    ),
    'currency in lower case': count([...Partners, ...Orders], (row) => /^[a-z]{3}$/.test(text(row.CurrencyCode))),
    'partner currency invalid (invalid_currency)': count(
      Partners,
      (row) =>
        ![
          'CHF',
          'EUR',
          'GBP',
          'USD',
          'SEK',
          'DKK',
          'NOK',
          'PLN',
          'CAD',
          'AUD',
          'BRL',
          'MXN',
          'INR',
          'JPY',
          'SGD',
          'ZAR',
          'CZK',
          'HUF',
          'AED',
          'RON',
        ].includes(text(row.CurrencyCode).trim().toUpperCase()),
    ),
    "order currency 'EUX' (finding invalid_currency)": count(Orders, (row) => row.CurrencyCode === 'EUX'),
    'GUID in upper case': count(Customers, (row) => /[A-F]/.test(text(row.TenantId))),
    'GUID in lower case': count(Customers, (row) => /[a-f]/.test(text(row.TenantId))),
    'soft-deleted customers (soft_deleted)': deletedCustomers.size,
    'orders to no customer (orphan_customer)': count(
      Orders,
      (row) => row.CustomerId !== null && !liveCustomers.has(row.CustomerId) && !deletedCustomers.has(row.CustomerId),
    ),
    'orders to soft-deleted customers': count(Orders, (row) => deletedCustomers.has(row.CustomerId)),
    'orders with NULL customer': count(Orders, (row) => row.CustomerId === null),
    'four-decimal money': count(OrderLines, (row) => !text(row.UnitPrice).endsWith('00')),
    "sentinel '1900-01-01' OrderDate (sentinel_date)": count(Orders, (row) =>
      text(row.OrderDate).startsWith('1900-01-01'),
    ),
    "sentinel '1900-01-01' CreatedAt": count([...Partners, ...Customers], (row) =>
      text(row.CreatedAt).startsWith('1900-01-01'),
    ),
    "sentinel '1900-01-01' LastLoginAt": count(PartnerUsers, (row) => text(row.LastLoginAt).startsWith('1900-01-01')),
    'local time in the spring-forward gap': count([...Orders, ...Customers, ...PartnerUsers], (row) =>
      dstEdge(row.OrderDate ?? row.CreatedAt ?? row.LastLoginAt, 2),
    ),
    'local time in the autumn overlap': count([...Orders, ...Customers, ...PartnerUsers], (row) =>
      dstEdge(row.OrderDate ?? row.CreatedAt ?? row.LastLoginAt, 9),
    ),
    "status 'Complete'": count(Orders, (row) => row.Status === 'Complete'),
    "status 'In Progress'": count(Orders, (row) => row.Status === 'In Progress'),
    "status 'Canceled'": count(Orders, (row) => row.Status === 'Canceled'),
    'enum with trailing space': count([...Orders, ...OrderLines, ...Invoices], (row) =>
      / $/.test(text(row.Status ?? row.OrderType ?? row.BillingFrequency)),
    ),
    'enum in lower case': count(
      Orders,
      (row) => /^[a-z]+$/.test(text(row.OrderType)) || /^[a-z]+$/.test(text(row.Status)),
    ),
    "unknown order status like 'Pending' (unknown_enum)": count(
      Orders,
      (row) => !DOCUMENTED.orderStatus.includes(normaliseEnum(row.Status)),
    ),
    'unknown order type (unknown_enum)': count(
      Orders,
      (row) => !DOCUMENTED.orderType.includes(normaliseEnum(row.OrderType)),
    ),
    'unknown billing frequency (unknown_enum)': count(
      OrderLines,
      (row) => !DOCUMENTED.frequency.includes(normaliseEnum(row.BillingFrequency)),
    ),
    'unknown partner status (unknown_enum)': count(
      Partners,
      (row) => !DOCUMENTED.partnerStatus.includes(normaliseEnum(row.Status)),
    ),
    'text with accents': allText.filter((value) => /[À-ž]/.test(value)).length,
    'text in CJK': allText.filter((value) => /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(value)).length,
    'text with emoji': allText.filter((value) => /\p{Extended_Pictographic}/u.test(value)).length,
    'text with control characters': allText.filter((value) => /[\u0000-\u0008\u000b-\u001f]/.test(value)).length,
    'text with a tab': allText.filter((value) => value.includes('\t')).length,
    'text with trailing spaces': count([...Partners, ...Customers], (row) =>
      / $/.test(text(row.CompanyName ?? row.CustomerName)),
    ),
    'closed partners with orders (partner_closed)': new Set(
      Orders.filter((row) => normaliseEnum(partnerOf.get(row.PartnerId)!.Status) === 'closed').map(
        (row) => row.PartnerId,
      ),
    ).size,
    'suspended partners with orders': new Set(
      Orders.filter((row) => normaliseEnum(partnerOf.get(row.PartnerId)!.Status) === 'suspended').map(
        (row) => row.PartnerId,
      ),
    ).size,
    'credit notes with negative amounts': count(
      Invoices,
      (row) => normaliseEnum(row.DocumentType) === 'creditnote' && text(row.GrossAmount).startsWith('-'),
    ),
  };

  // Pairs, counts per partner and replays.
  const usersByPartner = new Map<unknown, string[]>();
  const partnersByEmail = new Map<string, Set<unknown>>();
  for (const user of PartnerUsers) {
    const email = text(user.Email).trim().toLowerCase();
    usersByPartner.set(user.PartnerId, [...(usersByPartner.get(user.PartnerId) ?? []), email]);
    if (isValidEmail(email)) partnersByEmail.set(email, (partnersByEmail.get(email) ?? new Set()).add(user.PartnerId));
  }
  kinds['same address under several partners'] = [...partnersByEmail.values()].filter(
    (partners) => partners.size > 1,
  ).length;
  kinds['duplicate e-mail within one partner (duplicate_user)'] = [...usersByPartner.values()].filter(
    (emails) => new Set(emails).size < emails.length,
  ).length;
  const primaries = [...usersByPartner.keys()].map((partnerId) =>
    count(PartnerUsers, (row) => row.PartnerId === partnerId && row.IsPrimary === 1),
  );
  kinds['partners with no primary user'] = primaries.filter((n) => n === 0).length;
  kinds['partners with one primary user'] = primaries.filter((n) => n === 1).length;
  kinds['partners with two primary users'] = primaries.filter((n) => n === 2).length;

  const tenants = new Map<string, SeedRow[]>();
  for (const customer of Customers) {
    if (customer.TenantId === null) continue;
    const key = `${customer.PartnerId}|${text(customer.TenantId).toLowerCase()}`;
    tenants.set(key, [...(tenants.get(key) ?? []), customer]);
  }
  const shared = [...tenants.values()].filter((group) => group.length > 1);
  kinds['same tenant, one soft-deleted'] = shared.filter((group) => group.some((row) => row.IsDeleted === 1)).length;
  kinds['same tenant, both live (duplicate_tenant)'] = shared.filter(
    (group) => group.filter((row) => row.IsDeleted === 0).length > 1,
  ).length;
  kinds['same tenant written in different case'] = shared.filter(
    (group) => new Set(group.map((row) => row.TenantId)).size > 1,
  ).length;

  const units = (value: unknown) => Math.round(Number(value) * 10_000);
  const sums = new Map<unknown, number>();
  for (const line of OrderLines) sums.set(line.OrderId, (sums.get(line.OrderId) ?? 0) + units(line.LineTotal));
  kinds['TotalAmount differs from its lines (amount_mismatch)'] = count(
    Orders,
    (row) => units(row.TotalAmount) !== sums.get(row.OrderId),
  );
  kinds['LineTotal differs from Quantity x UnitPrice by rounding (amount_mismatch)'] = count(OrderLines, (row) => {
    const exact = (row.Quantity as number) * units(row.UnitPrice);
    return units(row.LineTotal) !== exact && Math.abs(units(row.LineTotal) - exact) < 100;
  });
  kinds['GrossAmount differs from Net + Tax (amount_mismatch)'] = count(
    Invoices,
    (row) => units(row.GrossAmount) !== units(row.NetAmount) + units(row.TaxAmount),
  );
  kinds['OneTime lines with NULL SubscriptionRef'] = count(
    OrderLines,
    (row) => normaliseEnum(row.BillingFrequency) === 'onetime' && row.SubscriptionRef === null,
  );

  // MAPPING.md "Subscriptions": replay completed orders of migrated partners for live customers.
  const migratedPartners = new Set(
    Partners.filter(
      (row) =>
        ['active', 'suspended'].includes(normaliseEnum(row.Status)) &&
        SELLER_COUNTRIES.has(text(row.CountryCode).trim().toUpperCase().replace(/^UK$/, 'GB')),
    ).map((row) => row.PartnerId),
  );
  const linesByOrder = new Map<unknown, SeedRow[]>();
  for (const line of OrderLines) linesByOrder.set(line.OrderId, [...(linesByOrder.get(line.OrderId) ?? []), line]);
  const replayed = Orders.filter(
    (row) =>
      normaliseEnum(row.Status) === 'completed' &&
      migratedPartners.has(row.PartnerId) &&
      liveCustomers.has(row.CustomerId),
  ).sort((a, b) =>
    a.OrderDate === b.OrderDate
      ? (a.OrderId as number) - (b.OrderId as number)
      : text(a.OrderDate) < text(b.OrderDate)
        ? -1
        : 1,
  );
  const quantities = new Map<unknown, number>();
  let withoutPurchase = 0;
  let belowOne = 0;
  for (const order of replayed) {
    const type = normaliseEnum(order.OrderType);
    for (const line of linesByOrder.get(order.OrderId) ?? []) {
      if (line.SubscriptionRef === null || normaliseEnum(line.BillingFrequency) === 'onetime') continue;
      if (type === 'new') quantities.set(line.SubscriptionRef, line.Quantity as number);
      else if (!quantities.has(line.SubscriptionRef)) withoutPurchase++;
      else if (type === 'addseats')
        quantities.set(line.SubscriptionRef, quantities.get(line.SubscriptionRef)! + (line.Quantity as number));
      else if (type === 'removeseats') {
        const quantity = quantities.get(line.SubscriptionRef)! - (line.Quantity as number);
        quantities.set(line.SubscriptionRef, quantity);
        if (quantity < 1) belowOne++;
      }
    }
  }
  kinds['change to a subscription never created (subscription_without_purchase)'] = withoutPurchase;
  kinds['RemoveSeats below 1 (negative_quantity)'] = belowOne;
  kinds['later orders changing earlier subscriptions'] = replayed.filter(
    (row) => normaliseEnum(row.OrderType) !== 'new',
  ).length;

  it.each(Object.keys(kinds))('contains %s', (kind) => {
    expect(kinds[kind]).toBeGreaterThan(0);
  });

  it('keeps every row-level kind rare (well under 10% of its table)', () => {
    expect(kinds["sentinel '1900-01-01' OrderDate (sentinel_date)"] / Orders.length).toBeLessThan(0.03);
    expect(kinds['orders to no customer (orphan_customer)'] / Orders.length).toBeLessThan(0.03);
    expect(kinds["unknown order status like 'Pending' (unknown_enum)"] / Orders.length).toBeLessThan(0.03);
    expect(kinds['TotalAmount differs from its lines (amount_mismatch)'] / Orders.length).toBeLessThan(0.05);
  });
});
