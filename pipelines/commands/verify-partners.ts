import { groupBy } from '../../src/core/group-by';
import { ARCHIVE_ENTITIES, type ArchiveEntity, type RangeChecksum } from '../../src/core/canonical';
import type { ReplayOrder } from '../../src/core/replay-model';
import { UsageError } from '../../src/core/errors';
import type { LegacyCustomer, LegacyUser } from '../../src/core/legacy-model';
import type { AccountRows } from '../../src/extract/source-reader';
import { readReplayOrdersOfPartners, readReplayOrdersOfRefs } from '../../src/load';
import {
  convertLegacyDateTime,
  ENUMS,
  licenseeLookup,
  MARKETPLACE_DOCUMENT_TYPE,
  MARKETPLACE_INVOICE_STATUS,
  MARKETPLACE_ORDER_STATUS,
  MARKETPLACE_ORDER_TYPE,
  matchEnum,
  refusalKey,
  replaySubscriptions,
  transformCustomers,
  transformPartner,
  transformUsers,
  type PartnerDecision,
  type TransformContext,
} from '../../src/transform';
import {
  checkPartners,
  HASHED_COMPARISONS,
  readAccounting,
  readAccountSideRows,
  readArchiveDigests,
  readArchiveMappings,
  readDanglingReferences,
  readMarketplaceHashes,
  readOrderedAtOutliers,
  readRefusedRows,
  scopedKeysOf,
  settlePending,
  type CheckResult,
  type PartnerScope,
  type PendingRow,
  type HashedTable,
  type MappedPartner,
  type RefusedRow,
  type VerifyMapping,
} from '../../src/verify';
import type { Services } from '../services';
import { readMigratedCustomers } from './migrated-customers';

/** The mapping the checks recompute expected values through: src/transform's, handed to src/verify. */
const MAPPING: VerifyMapping<PartnerDecision> = {
  replaySubscriptions,
  orderType: (raw) => matchEnum(ENUMS.orderType, raw),
  orderStatus: (raw) => matchEnum(ENUMS.orderStatus, raw),
  billingFrequency: (raw) => matchEnum(ENUMS.billingFrequency, raw),
  documentType: (raw) => matchEnum(ENUMS.documentType, raw),
  invoiceStatus: (raw) => matchEnum(ENUMS.invoiceStatus, raw),
  marketplaceOrderType: MARKETPLACE_ORDER_TYPE,
  marketplaceOrderStatus: MARKETPLACE_ORDER_STATUS,
  marketplaceDocumentType: MARKETPLACE_DOCUMENT_TYPE,
  marketplaceInvoiceStatus: MARKETPLACE_INVOICE_STATUS,
  convertLegacyDateTime,
};

/** The parent entity whose keys scope an archive entity (a line's: its parent's). */
const parentOf = (entity: ArchiveEntity): 'order' | 'invoice' =>
  entity === 'order' || entity === 'order_line' ? 'order' : 'invoice';

/**
 * The subscription histories of whole partners beside the scoped partners' refs: one read of each
 * kind. A partner in `known` (its history over the same scope as the caller replayed it in this
 * run) is not read.
 */
async function readReplayInputs(
  target: Services['target'],
  partnerIds: number[],
  scope: ReadonlyMap<number, PartnerScope> | undefined,
  known: ReadonlyMap<number, ReplayOrder[]> | undefined,
): Promise<{ ordersOf(partnerId: number): ReplayOrder[] }> {
  const toRead = partnerIds.filter((id) => known?.has(id) !== true);
  const scoped = (id: number) => scope?.has(id) === true;
  const refs = new Map(toRead.filter(scoped).map((id) => [id, scope!.get(id)!.subscriptionRefs]));
  const [wholeHistories, scopedHistories] = await Promise.all([
    readReplayOrdersOfPartners(
      target,
      toRead.filter((id) => !scoped(id)),
    ),
    refs.size > 0 ? readReplayOrdersOfRefs(target, refs) : undefined,
  ]);
  return {
    ordersOf: (partnerId) =>
      known?.get(partnerId) ?? (scoped(partnerId) ? scopedHistories! : wholeHistories).ordersOf(partnerId),
  };
}

/**
 * What a caller already read at the verification's watermark, not read again: legacy account
 * rows (the nightly sync's, read to apply them; a batch job's, read to load them) and partners'
 * subscription histories as the caller replayed them into the marketplace in this run, over the
 * scope they are verified over (a batch's whole, from its legacy rows; a big partner's whole,
 * from its archive; the sync's, from the archive as it had just written it, whole or over the
 * scope's references).
 */
export interface KnownInputs {
  accountRows?: AccountRows;
  replayOrders?: ReadonlyMap<number, ReplayOrder[]>;
}

/**
 * The account side of these partners at the watermark: taken from `known` (rows the caller read at
 * the same watermark: the nightly sync's, read to apply them) for the partners it holds, read for
 * the rest.
 */
async function accountRowsOf(
  services: Services,
  partnerIds: ReadonlyArray<number>,
  watermark: string,
  known: AccountRows | undefined,
): Promise<AccountRows> {
  const { source, config } = services;
  if (known === undefined) return source.readAccountRows(partnerIds, watermark, config.BATCH_SIZE);
  const wanted = new Set(partnerIds);
  const held = new Set(known.partners.map((partner) => partner.PartnerId).filter((id) => wanted.has(id)));
  const missing = partnerIds.filter((id) => !held.has(id));
  const read = await source.readAccountRows(missing, watermark, config.BATCH_SIZE);
  const ofHeld = <Row extends { PartnerId: number }>(rows: ReadonlyArray<Row>) =>
    rows.filter((row) => held.has(row.PartnerId));
  return {
    partners: [...ofHeld(known.partners), ...read.partners],
    users: [...ofHeld(known.users), ...read.users],
    customers: [...ofHeld(known.customers), ...read.customers],
  };
}

/**
 * Everything read for a set of partners before any check is computed: one statement per question,
 * not per partner. A partner in `scope` is read over its scope: its archive's orders and invoices
 * (with their lines), its subscriptions of the scope's refs and their agreements; the rest whole.
 */
async function readInputs(
  services: Services,
  partnerIds: number[],
  watermark: string,
  scope: ReadonlyMap<number, PartnerScope> | undefined,
  known: KnownInputs | undefined,
) {
  const { source, target, config } = services;
  // Asked first: the partners, users and customers are needed before any check can start, and
  // the legacy pool serves statements in the order they are asked.
  const accountRows = accountRowsOf(services, partnerIds, watermark, known?.accountRows);
  accountRows.catch(() => undefined); // awaited below
  // The legacy digests (every archived row hashed in the legacy database) take longest: everything
  // else is checked while they are read, and each entity's archive checks wait for its digest only.
  const legacyDigests = new Map(
    ARCHIVE_ENTITIES.map((entity) => {
      const digests = source.partnerDigests(entity, partnerIds, watermark, scopedKeysOf(scope, parentOf(entity)));
      digests.catch(() => undefined); // awaited by the checks; a failure of another read must not leave it unhandled
      return [entity, digests] as const;
    }),
  );
  const refs = scope && new Map([...scope].map(([partnerId, of]) => [partnerId, of.subscriptionRefs]));
  // The target pool serves statements in the order they are asked, too: the subscription history
  // first (the largest read, and the most work for this process once it is in), then the rest.
  const [
    replayOrders,
    archive,
    hashes,
    mappings,
    accounts,
    accounting,
    outliers,
    dangling,
    accountSide,
    refused,
    context,
  ] = await Promise.all([
    readReplayInputs(target, partnerIds, scope, known?.replayOrders),
    readArchiveDigests(target, partnerIds, scope),
    Promise.all(HASHED_COMPARISONS.map((spec) => readMarketplaceHashes(target, spec.table, partnerIds, refs))),
    readArchiveMappings(target, partnerIds, scope),
    accountRows,
    readAccounting(target, partnerIds),
    readOrderedAtOutliers(target, partnerIds, config.LEGACY_TIMEZONE, scope),
    readDanglingReferences(target, partnerIds),
    readAccountSideRows(target, partnerIds),
    readRefusedRows(target, partnerIds),
    services.transformContext(),
  ]);
  for (const [partnerId, combos] of archive.lineMappings) mappings.get(partnerId)?.push(...combos);
  return {
    legacyDigests,
    archive,
    accountRows: accounts,
    accounting,
    mappings,
    outliers,
    dangling,
    accountSide,
    hashes: new Map<HashedTable, Map<number, RangeChecksum>>(
      HASHED_COMPARISONS.map((spec, index) => [spec.table, hashes[index]]),
    ),
    replayOrders,
    context,
    refused,
    scopes: scope,
  };
}

/** The transform context of one partner: the shared one, with the rows the target refused when it has any. */
function contextOf(shared: TransformContext, refused: Map<number, RefusedRow[]>, partnerId: number): TransformContext {
  const rows = refused.get(partnerId);
  if (!rows || rows.length === 0) return shared;
  return { ...shared, refusedRows: new Map(rows.map((row) => [refusalKey(row.entity, row.legacyKey), row.detail])) };
}

/**
 * Every check of these partners (src/verify's checkPartners), each counted afresh from both
 * databases: the aggregates read for all the partners at once, the partners' legacy account side
 * run through the transforms, both handed to the checks with the mapping. `onChecked` is given
 * results as soon as they are known, a few at a time. Resolves with every partner's results.
 * A partner in `scope` (the nightly sync's: what it applied) is checked over its scope only —
 * archive rows, money, agreements and subscriptions — its account side, key sets and marketplace
 * references whole; its results say what they covered. A partner absent from it is checked whole.
 * What `known` holds (KnownInputs: read by the caller at `watermark`) is not read again.
 */
export async function verifyPartners(
  services: Services,
  partnerIds: number[],
  watermark: string,
  onChecked?: (results: CheckResult[]) => void,
  scope?: ReadonlyMap<number, PartnerScope>,
  known?: KnownInputs,
): Promise<Map<number, CheckResult[]>> {
  const pendingRows = readPendingRows(services, partnerIds, watermark);
  pendingRows.catch(() => undefined); // awaited below
  const inputs = await readInputs(services, partnerIds, watermark, scope, known);
  const partners = new Map(inputs.accountRows.partners.map((partner) => [partner.PartnerId, partner]));
  const usersOf = groupBy<LegacyUser>(inputs.accountRows.users, (user) => user.PartnerId);
  const customersOf = groupBy<LegacyCustomer>(inputs.accountRows.customers, (customer) => customer.PartnerId);
  const missing = partnerIds.filter((id) => !partners.has(id));
  if (missing.length > 0) {
    throw new UsageError(
      `partner ${missing.join(', ')} does not exist in the legacy database at watermark ${watermark}`,
    );
  }

  const migrated = await readMigratedCustomers(services.target, inputs.accountRows.customers);
  const mapped = partnerIds.map((partnerId): MappedPartner<PartnerDecision> => {
    const partner = partners.get(partnerId)!;
    const users = usersOf.get(partnerId) ?? [];
    const customers = customersOf.get(partnerId) ?? [];
    const context = { ...contextOf(inputs.context, inputs.refused, partnerId), migratedCustomers: migrated };
    const { decision, result: partnerResult } = transformPartner(partner, context);
    return {
      partnerId,
      decision,
      partnerResult,
      users,
      customers,
      userResult: transformUsers(decision, users, context),
      customerResult: transformCustomers(decision, partner, customers, context),
      licensees: licenseeLookup(decision, customers, context),
    };
  });
  const pending = await pendingRows;
  const settle = (result: CheckResult) => settlePending(result, pending.get(result.partnerId));
  const results = await checkPartners(mapped, inputs, {
    mapping: MAPPING,
    target: services.target,
    legacy: services.source,
    watermark,
    zone: services.config.LEGACY_TIMEZONE,
    onChecked: onChecked && ((some) => onChecked(some.map(settle))),
  });
  for (const [partnerId, checks] of results) results.set(partnerId, checks.map(settle));
  return results;
}

const ENTITY_OF_TABLE: Record<string, string> = {
  Partners: 'partner',
  PartnerUsers: 'user',
  Customers: 'customer',
  Orders: 'order',
  OrderLines: 'order_line',
  Invoices: 'invoice',
  InvoiceLines: 'invoice_line',
};

/**
 * The legacy rows of these partners changed after the watermark (the legacy database moved on
 * since it was read, and the next sync takes them): what they explain is pending, not missing.
 * One statement per table through the RowVer index.
 */
async function readPendingRows(
  services: Services,
  partnerIds: ReadonlyArray<number>,
  watermark: string,
): Promise<Map<number, PendingRow[]>> {
  const now = await services.source.watermark();
  const pending = new Map<number, PendingRow[]>();
  if (BigInt(now) <= BigInt(watermark)) return pending;
  const wanted = new Set(partnerIds);
  for (const row of await services.source.changedRows(watermark, now)) {
    if (!wanted.has(row.partnerId)) continue;
    const rows = pending.get(row.partnerId) ?? [];
    rows.push({ entity: ENTITY_OF_TABLE[row.table]!, partnerId: row.partnerId, legacyKey: String(row.rowKey) });
    pending.set(row.partnerId, rows);
  }
  return pending;
}
