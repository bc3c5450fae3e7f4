/**
 * Legacy enum matching (MAPPING.md): case-insensitive, spaces, `-` and `_` ignored, plus the
 * known spelling variants. Results are memoised per raw value: an enum column has few distinct
 * spellings, so the hot path is one Map lookup.
 */

/** One legacy enum: its documented values and the spelling variants that mean one of them. */
export interface EnumSpec<V extends string> {
  readonly name: string;
  readonly values: readonly V[];
  /** Variant spelling (any case/spacing) -> the value it means. */
  readonly variants?: Readonly<Record<string, V>>;
}

export type EnumValue<S> = S extends EnumSpec<infer V> ? V : never;

const IGNORED = /[\s\-_]/g;
const MEMO_LIMIT = 10_000;

function keyOf(raw: string): string {
  return raw.toLowerCase().replace(IGNORED, '');
}

interface CompiledEnum {
  byKey: Map<string, string>;
  memo: Map<string, string | null>;
}

const compiled = new WeakMap<EnumSpec<string>, CompiledEnum>();

function compile(spec: EnumSpec<string>): CompiledEnum {
  const byKey = new Map<string, string>();
  for (const value of spec.values) byKey.set(keyOf(value), value);
  for (const [variant, value] of Object.entries(spec.variants ?? {})) byKey.set(keyOf(variant), value);
  const result = { byKey, memo: new Map<string, string | null>() };
  compiled.set(spec, result);
  return result;
}

/** The documented value `raw` means, or undefined when it matches none (finding or quarantine `unknown_enum`). */
export function matchEnum<V extends string>(spec: EnumSpec<V>, raw: string | null | undefined): V | undefined {
  if (raw == null) return undefined;
  const table = compiled.get(spec) ?? compile(spec);
  let found = table.memo.get(raw);
  if (found === undefined) {
    found = table.byKey.get(keyOf(raw)) ?? null;
    // A bounded memo: garbage spellings must not grow memory over a million rows.
    if (table.memo.size >= MEMO_LIMIT) table.memo.clear();
    table.memo.set(raw, found);
  }
  return (found ?? undefined) as V | undefined;
}

const spec = <V extends string>(name: string, values: readonly V[], variants?: Record<string, V>): EnumSpec<V> => ({
  name,
  values,
  variants,
});

/** The legacy enums and their documented values (legacy README, MAPPING.md). */
export const ENUMS = {
  partnerStatus: spec('Partners.Status', ['Active', 'Suspended', 'Closed'] as const),
  userRole: spec('PartnerUsers.Role', ['Admin', 'Finance', 'Sales', 'ReadOnly'] as const),
  orderType: spec('Orders.OrderType', [
    'New',
    'AddSeats',
    'RemoveSeats',
    'Cancel',
    'Renew',
    'AutoRenewToggle',
  ] as const),
  orderStatus: spec(
    'Orders.Status',
    ['Draft', 'Submitted', 'InProgress', 'Completed', 'Failed', 'Cancelled'] as const,
    {
      Complete: 'Completed',
      Canceled: 'Cancelled',
    },
  ),
  billingFrequency: spec('OrderLines.BillingFrequency', ['Monthly', 'Annual', 'OneTime'] as const),
  documentType: spec('Invoices.DocumentType', ['Invoice', 'CreditNote'] as const),
  invoiceStatus: spec('Invoices.Status', ['Open', 'Paid', 'Overdue', 'Void'] as const),
} as const;
