import { trimWhitespace } from '../../src/core/canonical/trim';
import { isRetryable } from '../../src/core/errors';
import { decimalTextEquals } from '../../src/core/decimal';
import { groupBy } from '../../src/core/group-by';
import { packByWeight } from '../../src/core/pack-by-weight';
import type { Knex } from 'knex';
import type { ReplayOrder } from '../../src/core/replay-model';
import { mergeBatchResults, type BatchResult, type Finding } from '../../src/core/outcomes';
import { LOAD_ORDER, TARGET_TABLES, type TargetTableKey } from '../../src/core/target-model';
import type { LegacyCustomer, LegacyOrderLine, LegacyUser } from '../../src/core/legacy-model';
import type { AccountRows, ChangedRow } from '../../src/extract/source-reader';
import { ARCHIVED_TABLES, SYNCED_TABLES, type ArchivedTable } from '../../src/extract/sync-tables';
import {
  closeInterruptedSyncs,
  createRun,
  expireInvitations,
  finishRun,
  insertReconciliations,
  deleteReconciliations,
  listSyncPartners,
  markArchiveDeleted,
  movePartners,
  pgConnectionOf,
  readArchiveKeyDigests,
  readArchiveKeys,
  readArchivedOrdersOfCustomers,
  readExistingKeys,
  readOpenQuarantine,
  readOpenProblemKeys,
  readReplayOrdersOfPartners,
  readReplayOrdersOfRefs,
  readArchivedRefsOfOrders,
  readArchivedReplayFields,
  readArchivedLineAmounts,
  type ArchivedLineAmount,
  readReplayedSubscriptions,
  deleteUnmadeSubscriptions,
  replayFieldsOf,
  closeRefsOverAgreements,
  type ReplayHistories,
  readTableWatermarks,
  setPartnerWatermarks,
  withSyncLock,
  writeBatch,
  writeTableWatermarks,
  type SyncPartner,
} from '../../src/load';
import {
  licenseeLookup,
  replaySubscriptions,
  transformCustomers,
  transformInvoices,
  transformOrders,
  transformPartner,
  transformUsers,
  type PartnerDecision,
  type TransformContext,
} from '../../src/transform';
import { partnersByVerdict, type CheckResult, type PartnerScope, type Report } from '../../src/verify';
import type { Services } from '../services';
import { rideOutOutages, type OutageWaiting } from './ride-out-outage';
import { readMigratedCustomers } from './migrated-customers';
import { changedRowKey, keepChangedRows } from './sync-changed-rows';
import { verifyPartners, type KnownInputs } from './verify-partners';
import { sealRunReport } from './verify-wave';

/** What a sync did to one target table. */
export interface SyncTableCounts {
  inserted: number;
  updated: number;
  /** Archive rows marked deleted; licensees and account users marked `Deleted`. */
  deleted: number;
  quarantined: number;
}

/** One wave's share of a sync: its touched partners re-verified and a report sealed. */
export interface SyncWaveReport {
  wave: string;
  runId: string;
  partners: number;
  passed: boolean;
  sha256: string;
  report: Report;
}

export interface SyncResult {
  /** The sync's own run (none for a dry run). */
  runId: string | null;
  dryRun: boolean;
  watermark: string;
  /** Partners kept in step, and those with a change applied. */
  partners: number;
  touched: number;
  tables: Partial<Record<TargetTableKey, SyncTableCounts>>;
  /** Orders created for a partner whose portal is in archive mode (finding `order_after_archive`). */
  ordersAfterArchive: number;
  invitationsExpired: number;
  waves: SyncWaveReport[];
  /** Every re-verified partner passed (true when none needed it). */
  passed: boolean;
  /** The watermark has stood still longer than SYNC_STALL_WARN: since when. */
  stalledSince: Date | null;
  elapsedMs: number;
  /** Where the time went: finding changes and deletes, applying them, verifying, in ms. */
  phases: { changes: number; deletes: number; apply: number; verify: number };
}

export interface SyncOptions {
  /** Apply everything in one transaction and roll it back: what would change, nothing written. */
  dryRun?: boolean;
  /**
   * Partners per transaction. By default a group is sized by its work: partners whose changed
   * rows add up to PARTITION_SIZE, at most SYNC_GROUP_BATCHES times BATCH_PARTNERS of them.
   */
  groupSize?: number;
  /**
   * Verify every touched partner whole, as `ppm verify` does, rather than what the sync changed
   * (its orders, invoices and subscriptions, beside the account side).
   */
  fullVerify?: boolean;
  onProgress?(done: number, total: number): void;
  /** Called while a database that went away is waited for, and with `undefined` once it answers. */
  onWaiting?(waiting: OutageWaiting | undefined): void;
}

/** The most partners one sync transaction applies, in batches' worth (BATCH_PARTNERS each): 5,000 at the defaults. */
export const SYNC_GROUP_BATCHES = 25;

/**
 * The sync's transactions, sized by work, not by partner: a group closes once its partners'
 * changed and deleted rows reach `rowBudget`, or at `maxPartners` partners. What each
 * group pays whatever its size (its statements, its commit) is paid once for thousands of small
 * partners, and a big change still comes in bounded pieces. `groupSize` fixes the partner count.
 */
function syncGroups(
  touched: ReadonlyArray<PartnerWork>,
  groupSize: number | undefined,
  rowBudget: number,
  maxPartners: number,
): PartnerWork[][] {
  if (groupSize !== undefined) return packByWeight(touched, () => 1, groupSize);
  return packByWeight(
    touched,
    (work) => 1 + work.rows.size + [...work.deleted.values()].reduce((sum, keys) => sum + keys.length, 0),
    rowBudget,
    maxPartners,
  );
}

/** Rolls back a dry run's transaction once its counts are taken. */
class DryRunRollback extends Error {}

const TABLE_OF_ARCHIVED: Record<ArchivedTable, TargetTableKey> = {
  Orders: 'archive_orders',
  OrderLines: 'archive_order_lines',
  Invoices: 'archive_invoices',
  InvoiceLines: 'archive_invoice_lines',
};

/** Changes and deletes of one partner within its window. */
interface PartnerWork {
  partner: SyncPartner;
  /** Partner row, users or customers changed: the account side is applied. */
  account: boolean;
  /** The partner row itself changed: its agreements may name another account, buyer or seller. */
  partnerRow: boolean;
  /** Every row changed in the window, as `Table|rowKey` (changedRowKey). */
  rows: Set<string>;
  /** Customers changed: their archived orders are applied again (their licensee may have changed). */
  customers: Set<number>;
  /** Orders and invoices with a change of their own row or of a line (the parents' keys). */
  orders: Set<number>;
  invoices: Set<number>;
  /** Orders and invoices whose own row changed: read and applied with all their lines. */
  orderRows: Set<number>;
  invoiceRows: Set<number>;
  /** Lines changed, by line key, with their parent's: a line of an unchanged parent is applied on its own. */
  orderLines: Map<number, number>;
  invoiceLines: Map<number, number>;
  deleted: Map<ArchivedTable, number[]>;
}

function workOf(partner: SyncPartner): PartnerWork {
  return {
    partner,
    account: false,
    partnerRow: false,
    rows: new Set(),
    customers: new Set(),
    orders: new Set(),
    invoices: new Set(),
    orderRows: new Set(),
    invoiceRows: new Set(),
    orderLines: new Map(),
    invoiceLines: new Map(),
    deleted: new Map(),
  };
}

/** The changed rows of each partner strictly after its own watermark (the scan starts at the lowest). */
function collectChanges(
  partners: ReadonlyArray<SyncPartner>,
  changed: ReadonlyArray<ChangedRow>,
): Map<number, PartnerWork> {
  const byId = new Map(partners.map((partner) => [partner.partnerId, partner]));
  const work = new Map<number, PartnerWork>();
  for (const row of changed) {
    const partner = byId.get(row.partnerId);
    if (!partner || BigInt(row.rowVersion) <= BigInt(partner.watermark)) continue;
    let entry = work.get(row.partnerId);
    if (!entry) work.set(row.partnerId, (entry = workOf(partner)));
    entry.rows.add(changedRowKey(row.table, row.rowKey));
    if (row.table === 'Orders' || row.table === 'OrderLines') entry.orders.add(row.key);
    if (row.table === 'Invoices' || row.table === 'InvoiceLines') entry.invoices.add(row.key);
    if (row.table === 'Orders') entry.orderRows.add(row.key);
    else if (row.table === 'OrderLines') entry.orderLines.set(row.rowKey, row.key);
    else if (row.table === 'Invoices') entry.invoiceRows.add(row.key);
    else if (row.table === 'InvoiceLines') entry.invoiceLines.set(row.rowKey, row.key);
    else {
      entry.account = true;
      if (row.table === 'Partners') entry.partnerRow = true;
      if (row.table === 'Customers') entry.customers.add(row.key);
    }
  }
  return work;
}

/**
 * Hard deletes: per archived table, partners whose legacy key set (count and sum, as it is now)
 * differs from their archive's are compared key by key; an archive key the legacy table no
 * longer holds is a delete. Keys added in the legacy table after the watermark are not (the next
 * sync takes them).
 */
async function collectDeletes(
  services: Services,
  partners: ReadonlyArray<SyncPartner>,
  work: Map<number, PartnerWork>,
  digests: DeleteDigests,
): Promise<void> {
  const byId = new Map(partners.map((partner) => [partner.partnerId, partner]));
  for (const [index, table] of ARCHIVED_TABLES.entries()) {
    const [legacy, archive] = digests[index]!;
    for (const [partnerId, stored] of archive) {
      const now = legacy.get(partnerId) ?? { count: 0, sum: '0' };
      if (now.count === stored.count && now.sum === stored.sum) continue;
      const [legacyKeys, archiveKeys] = await Promise.all([
        services.source.keysOfPartner(table, partnerId),
        readArchiveKeys(services.target, table, partnerId),
      ]);
      const present = new Set(legacyKeys);
      const gone = archiveKeys.filter((key) => !present.has(key));
      if (gone.length === 0) continue;
      let entry = work.get(partnerId);
      if (!entry) work.set(partnerId, (entry = workOf(byId.get(partnerId)!)));
      entry.deleted.set(table, gone);
    }
  }
}

type DeleteDigests = Awaited<ReturnType<typeof readDeleteDigests>>;

/** Every archived table's key digests of these partners, both databases at once: each is one grouped scan. */
function readDeleteDigests(services: Services, partners: ReadonlyArray<SyncPartner>) {
  const ids = partners.map((partner) => partner.partnerId);
  return Promise.all(
    ARCHIVED_TABLES.map((table) =>
      Promise.all([services.source.keyDigests(table, ids), readArchiveKeyDigests(services.target, table, ids)]),
    ),
  );
}

function emptyCounts(): SyncTableCounts {
  return { inserted: 0, updated: 0, deleted: 0, quarantined: 0 };
}

function countsOf(tables: SyncResult['tables'], key: TargetTableKey): SyncTableCounts {
  return (tables[key] ??= emptyCounts());
}

/** The target table a problem's entity is counted under. */
const PROBLEM_TABLE: Record<string, TargetTableKey> = {
  partner: 'accounts',
  user: 'account_users',
  customer: 'licensees',
  subscription: 'subscriptions',
};

interface GroupOutcome {
  ordersAfterArchive: number;
  /** What verification of each partner needs to look at; a partner not in it is verified whole. */
  scopes: Map<number, PartnerScope>;
  /** The group's legacy account side as read at the watermark: verification takes it from here. */
  accountRows: AccountRows;
  /**
   * The subscription history replayed of each partner, as this transaction wrote the archive:
   * whole for a partner not in `scopes`, its scope's references for one in it. Verification of
   * the same scope takes it from here.
   */
  replayOrders: Map<number, ReplayOrder[]>;
}

/**
 * Applies the changes of a group of partners in the caller's transaction: their account side
 * (partner, every user and customer: duplicate rules need the whole set) and their changed orders
 * and invoices with all their lines, read at the sync's watermark and put through the wave's
 * transforms and writeBatch; then archive rows of vanished legacy rows marked deleted; then the
 * subscriptions of the partners whose history changed replayed from the archive; then the
 * partners' watermarks, in the same transaction.
 */
async function applyGroup(
  services: Services,
  trx: Knex.Transaction,
  runId: string,
  watermark: string,
  group: ReadonlyArray<PartnerWork>,
  context: TransformContext,
  tables: SyncResult['tables'],
): Promise<GroupOutcome> {
  const { source, config } = services;
  const ids = group.map((work) => work.partner.partnerId);
  // An order or invoice whose own row changed is read with all its lines (its header total is
  // compared with them); a changed line of an unchanged one on its own, without its parent.
  const orderRows = new Set(group.flatMap((work) => [...work.orderRows]));
  const wholeInvoices = new Set(group.flatMap((work) => [...work.invoiceRows]));
  const linesOnTheirOwn = (lines: ReadonlyMap<number, number>, whole: ReadonlySet<number>) =>
    [...lines].filter(([, parent]) => !whole.has(parent)).map(([line]) => line);
  const deletedLines = (table: ArchivedTable) => group.flatMap((work) => work.deleted.get(table) ?? []);
  const ownOrderLineKeys = group.flatMap((work) => linesOnTheirOwn(work.orderLines, orderRows));
  const ownInvoiceLineKeys = group.flatMap((work) => linesOnTheirOwn(work.invoiceLines, wholeInvoices));
  const deletedOrderLines = deletedLines('OrderLines');
  const deletedInvoiceLines = deletedLines('InvoiceLines');
  const [account, wholeRead, ownLines, invoicesRead, invoiceLines, orderLineAmounts, invoiceLineAmounts] =
    await Promise.all([
      source.readAccountRows(ids, watermark, Math.max(config.BATCH_SIZE, config.PARTITION_SIZE)),
      source.readOrdersByKeys([...orderRows], watermark),
      source.readOrderLinesByKeys(ownOrderLineKeys, watermark),
      source.readInvoicesByKeys([...wholeInvoices], watermark),
      source.readInvoiceLinesByKeys(ownInvoiceLineKeys, watermark),
      readArchivedLineAmounts(trx, 'order_lines', [...ownOrderLineKeys, ...deletedOrderLines]),
      readArchivedLineAmounts(trx, 'invoice_lines', [...ownInvoiceLineKeys, ...deletedInvoiceLines]),
    ]);
  // A line applied on its own changes its parent's sum of lines (finding amount_mismatch) when it
  // is new, its amount moved, or it was deleted: that parent is read again with all its lines.
  const sumMoved = (
    lines: ReadonlyArray<{ key: number; parent: number; amount: string | null }>,
    archived: ReadonlyMap<number, ArchivedLineAmount>,
    deleted: ReadonlyArray<number>,
    whole: ReadonlySet<number>,
  ): number[] => {
    const parents = new Set<number>();
    for (const line of lines) {
      const before = archived.get(line.key);
      if (!before || before.deleted || !decimalTextEquals(before.amount, line.amount)) parents.add(line.parent);
    }
    for (const key of deleted) {
      const before = archived.get(key);
      if (before && !before.deleted) parents.add(before.parentId);
    }
    return [...parents].filter((parent) => !whole.has(parent));
  };
  const [movedOrders, movedInvoices] = await Promise.all([
    source.readOrdersByKeys(
      sumMoved(
        ownLines.map((line) => ({ key: line.OrderLineId, parent: line.OrderId, amount: line.LineTotal })),
        orderLineAmounts,
        deletedOrderLines,
        orderRows,
      ),
      watermark,
    ),
    source.readInvoicesByKeys(
      sumMoved(
        invoiceLines.map((line) => ({ key: line.InvoiceLineId, parent: line.InvoiceId, amount: line.Amount })),
        invoiceLineAmounts,
        deletedInvoiceLines,
        wholeInvoices,
      ),
      watermark,
    ),
  ]);
  for (const order of movedOrders.rows) orderRows.add(order.OrderId);
  for (const invoice of movedInvoices.rows) wholeInvoices.add(invoice.InvoiceId);
  const whole = { rows: [...wholeRead.rows, ...movedOrders.rows], lines: [...wholeRead.lines, ...movedOrders.lines] };
  const invoices = {
    rows: [...invoicesRead.rows, ...movedInvoices.rows],
    lines: [...invoicesRead.lines, ...movedInvoices.lines],
  };
  const client = await pgConnectionOf(trx);
  const migrated = await readMigratedCustomers(trx, account.customers);
  const partnerRows = new Map(account.partners.map((partner) => [partner.PartnerId, partner]));
  const usersOf = groupBy<LegacyUser>(account.users, (user) => user.PartnerId);
  const customersOf = groupBy<LegacyCustomer>(account.customers, (customer) => customer.PartnerId);
  const decisions = new Map<number, { decision: PartnerDecision; licensees: ReadonlyMap<number, string> }>();
  const partnerResults = new Map<number, BatchResult>();
  const own = { ...context, migratedCustomers: migrated };
  for (const work of group) {
    const partner = partnerRows.get(work.partner.partnerId);
    if (!partner) continue; // partners are never deleted; one that is has nothing left to apply
    const { decision, result } = transformPartner(partner, own);
    decisions.set(partner.PartnerId, {
      decision,
      licensees: licenseeLookup(decision, customersOf.get(partner.PartnerId) ?? [], own),
    });
    partnerResults.set(partner.PartnerId, result);
  }

  // A changed customer's archived orders follow it only when it joins or leaves the licensee
  // lookup (a licensee is never removed: one that had a licensee row keeps its place); a rename
  // changes no order. Those orders are read again, with all their lines when a line changed too.
  // A customer kept out by another (a duplicate tenant) may join the lookup without changing itself:
  // it has an open problem row, so those are looked at too.
  const openCustomers = await readOpenProblemKeys(trx, ids, 'customer');
  const candidatesOf = (work: PartnerWork) =>
    new Set([
      ...work.customers,
      ...(work.account
        ? (customersOf.get(work.partner.partnerId) ?? [])
            .map((customer) => customer.CustomerId)
            .filter((id) => openCustomers.has(String(id)))
        : []),
    ]);
  const licensed = await readExistingKeys(
    client,
    'marketplace.licensees',
    'legacy_customer_id',
    'int',
    group.flatMap((work) => [...candidatesOf(work)]),
  );
  const movedCustomers = group.flatMap((work) =>
    [...candidatesOf(work)].filter(
      (customerId) =>
        (decisions.get(work.partner.partnerId)?.licensees.has(customerId) ?? false) !==
        licensed.has(String(customerId)),
    ),
  );
  const lineParents = new Set(group.flatMap((work) => [...work.orderLines.values()]));
  const ofMovedCustomers = await readArchivedOrdersOfCustomers(
    trx,
    group.filter((work) => work.account).map((work) => work.partner.partnerId),
    movedCustomers,
  );
  const ordersOfCustomers = ofMovedCustomers.filter((orderId) => !orderRows.has(orderId));
  const [withLines, rowOnly] = await Promise.all([
    source.readOrdersByKeys(
      ordersOfCustomers.filter((orderId) => lineParents.has(orderId)),
      watermark,
    ),
    source.readOrderRowsByKeys(
      ordersOfCustomers.filter((orderId) => !lineParents.has(orderId)),
      watermark,
    ),
  ]);
  const wholeLines = [...whole.lines, ...withLines.lines];
  const readWhole = new Set(wholeLines.map((line) => line.OrderId));
  const ownOrderLines = new Map(
    ownLines.filter((line) => !readWhole.has(line.OrderId)).map((line) => [line.OrderLineId, line]),
  );
  const ownInvoiceLines = new Map(
    invoiceLines.filter((line) => !wholeInvoices.has(line.InvoiceId)).map((line) => [line.InvoiceLineId, line]),
  );
  const ordersOf = groupBy([...whole.rows, ...withLines.rows, ...rowOnly], (order) => order.PartnerId);
  const invoicesOf = groupBy(invoices.rows, (invoice) => invoice.PartnerId);
  // A line goes with its parent as read at the watermark; one whose parent moved past it waits for the next window.
  const orderLinesOf = groupBy(wholeLines, (line) => line.OrderId);
  const invoiceLinesOf = groupBy(invoices.lines, (line) => line.InvoiceId);
  const orderKeys = [...new Set([...orderRows, ...ordersOfCustomers])];
  const existingOrders = await readExistingKeys(client, 'archive.orders', 'legacy_order_id', 'int', orderKeys);

  const results: BatchResult[] = [];
  const linesOf = new Map<number, LegacyOrderLine[]>();
  let ordersAfterArchive = 0;
  for (const work of group) {
    const partnerId = work.partner.partnerId;
    const partner = partnerRows.get(partnerId);
    const decided = decisions.get(partnerId);
    if (!partner || !decided) continue;
    const { decision, licensees } = decided;
    // An unchanged account side is as the target holds it: only its decision is needed here.
    if (work.account) {
      const customers = customersOf.get(partnerId) ?? [];
      results.push(
        partnerResults.get(partnerId)!,
        transformUsers(decision, usersOf.get(partnerId) ?? [], own),
        transformCustomers(decision, partner, customers, own),
      );
    }
    const partnerOrders = ordersOf.get(partnerId) ?? [];
    // Lines are archived whatever their parent's RowVer, as a wave reads them: a changed order
    // that moved past the watermark while the sync ran still brings its lines read at it.
    const returned = new Set(partnerOrders.map((order) => order.OrderId));
    const lines = [
      ...partnerOrders.flatMap((order) => orderLinesOf.get(order.OrderId) ?? []),
      ...[...work.orderRows].filter((id) => !returned.has(id)).flatMap((id) => orderLinesOf.get(id) ?? []),
      ...[...work.orderLines.keys()].flatMap((lineId) => ownOrderLines.get(lineId) ?? []),
    ];
    linesOf.set(partnerId, lines);
    if (partnerOrders.length > 0 || lines.length > 0) {
      const result = transformOrders(decision, partnerOrders, lines, licensees, context);
      if (partner.PortalMode === 'Archive') {
        const after: Finding[] = partnerOrders
          .filter((order) => !existingOrders.has(String(order.OrderId)))
          .map((order) => ({
            entity: 'order',
            legacyKey: String(order.OrderId),
            legacyPartnerId: partnerId,
            code: 'order_after_archive',
            detail: 'order created after the portal was switched to archive mode',
          }));
        ordersAfterArchive += after.length;
        result.findings.push(...after);
      }
      results.push(result);
    }
    const partnerInvoices = invoicesOf.get(partnerId) ?? [];
    const returnedInvoices = new Set(partnerInvoices.map((invoice) => invoice.InvoiceId));
    const invoiceLinesOfPartner = [
      ...partnerInvoices.flatMap((invoice) => invoiceLinesOf.get(invoice.InvoiceId) ?? []),
      ...[...work.invoiceRows].filter((id) => !returnedInvoices.has(id)).flatMap((id) => invoiceLinesOf.get(id) ?? []),
      ...[...work.invoiceLines.keys()].flatMap((lineId) => ownInvoiceLines.get(lineId) ?? []),
    ];
    if (partnerInvoices.length > 0 || invoiceLinesOfPartner.length > 0) {
      results.push(transformInvoices(decision, partnerInvoices, invoiceLinesOfPartner, context));
    }
  }
  const transformed = mergeBatchResults(...results);

  // What the replay must look at again, read before the change is written: the references on
  // the archived lines of the orders whose replay fields (customer, licensee, type, status, date)
  // change or that are new, of the orders of customers that moved, and of every line changed or
  // deleted; as they were, and as they are. A PO number or a total changes no subscription.
  const archivedOrders = transformed.rows.archive_orders ?? [];
  const stored = await readArchivedReplayFields(
    trx,
    archivedOrders.map((order) => order.legacy_order_id),
  );
  const replayOrders = new Set(
    archivedOrders
      .filter((order) => stored.get(order.legacy_order_id) !== replayFieldsOf(order))
      .map((order) => order.legacy_order_id),
  );
  for (const orderId of ordersOfCustomers) replayOrders.add(orderId);
  const refsBefore = await readArchivedRefsOfOrders(
    trx,
    [...replayOrders, ...group.flatMap((work) => work.deleted.get('Orders') ?? [])],
    group.flatMap((work) => [...work.orderLines.keys(), ...(work.deleted.get('OrderLines') ?? [])]),
  );
  const refsAfter = new Map<number, Set<string>>();
  for (const work of group) {
    const partnerId = work.partner.partnerId;
    for (const line of linesOf.get(partnerId) ?? []) {
      if (!replayOrders.has(line.OrderId) && !work.orderLines.has(line.OrderLineId)) continue;
      const ref = line.SubscriptionRef === null ? '' : trimWhitespace(line.SubscriptionRef);
      if (ref === '') continue;
      const some = refsAfter.get(partnerId);
      if (some) some.add(ref);
      else refsAfter.set(partnerId, new Set([ref]));
    }
  }

  // A customer whose outcome changes with another's (it becomes a duplicate tenant) is kept too.
  for (const problem of [...transformed.quarantined, ...transformed.skipped])
    if (problem.entity === 'customer') openCustomers.add(problem.legacyKey);
  const merged = keepChangedRows(transformed, {
    rows: new Set(group.flatMap((work) => [...work.rows])),
    wholeAccounts: new Set(
      group
        .filter((work) => work.partnerRow)
        .map((work) => decisions.get(work.partner.partnerId)?.decision.accountId)
        .filter((id): id is string => typeof id === 'string'),
    ),
    openCustomers,
    // Re-applied for the licensee lookup, they are written whatever their own row.
    reappliedOrders: new Set(ofMovedCustomers),
    sumsOnly: {
      orders: new Set(movedOrders.rows.map((order) => order.OrderId)),
      invoices: new Set(movedInvoices.rows.map((invoice) => invoice.InvoiceId)),
    },
  });
  await writeCounted(client, trx, runId, merged, group, 'sync', tables);

  for (const work of group) {
    for (const [table, keys] of work.deleted) {
      countsOf(tables, TABLE_OF_ARCHIVED[table]).deleted += await markArchiveDeleted(client, table, keys);
    }
  }

  // The replay reads the archive as this transaction has just written it.
  const replayed = await replayChanged(trx, group, decisions, refsBefore, refsAfter);
  if (replayed.partners.length > 0) {
    const replayedIds = new Set(replayed.partners);
    const some = group.filter((work) => replayedIds.has(work.partner.partnerId));
    // What the replay covered as stored before it is written: a subscription it no longer makes
    // (its New order cancelled, say) and an agreement left with none are removed after.
    const covered = await readReplayedSubscriptions(trx, {
      whole: replayed.partners.filter((id) => replayed.scopes.get(id) === null),
      refs: new Map(
        [...replayed.scopes].flatMap(([id, refs]) =>
          refs !== null && replayedIds.has(id) ? [[id, refs] as const] : [],
        ),
      ),
    });
    await writeCounted(client, trx, runId, replayed.result, some, 'sync-subscriptions', tables);
    const removed = await deleteUnmadeSubscriptions(trx, covered, {
      subscriptions: new Set((replayed.result.rows.subscriptions ?? []).map((row) => row.id)),
      agreements: new Set((replayed.result.rows.agreements ?? []).map((row) => row.id)),
    });
    if (removed.subscriptions > 0) countsOf(tables, 'subscriptions').deleted += removed.subscriptions;
    if (removed.agreements > 0) countsOf(tables, 'agreements').deleted += removed.agreements;
  }
  // A deleted line is verified with its parent's lines (the archive knows the parent).
  const parentsOf = (table: 'OrderLines' | 'InvoiceLines', work: PartnerWork) =>
    (work.deleted.get(table) ?? []).flatMap(
      (key) => (table === 'OrderLines' ? orderLineAmounts : invoiceLineAmounts).get(key)?.parentId ?? [],
    );
  const scopes = new Map<number, PartnerScope>();
  for (const work of group) {
    const partnerId = work.partner.partnerId;
    const refs = replayed.scopes.get(partnerId);
    if (refs === null) continue; // replayed whole: verified whole
    scopes.set(partnerId, {
      orders: [
        ...new Set([
          ...work.orders,
          ...(ordersOf.get(partnerId) ?? []).map((order) => order.OrderId),
          ...(work.deleted.get('Orders') ?? []),
          ...parentsOf('OrderLines', work),
        ]),
      ],
      invoices: [
        ...new Set([
          ...work.invoices,
          ...(invoicesOf.get(partnerId) ?? []).map((invoice) => invoice.InvoiceId),
          ...(work.deleted.get('Invoices') ?? []),
          ...parentsOf('InvoiceLines', work),
        ]),
      ],
      subscriptionRefs: [...(refs ?? [])],
    });
  }
  await setPartnerWatermarks(
    trx,
    group.map((work) => work.partner),
    watermark,
  );
  return { ordersAfterArchive, scopes, accountRows: account, replayOrders: replayed.orders };
}

/**
 * The subscriptions and agreements a group's changes alter, replayed from the archive as the
 * transaction has just written it. A partner whose own row changed is replayed whole (its
 * agreements name its account, buyer and seller); any other migrated partner only in the
 * references on the lines changed (as they were and as they are), closed over the agreements
 * those belong to before and after, so every replayed agreement has all its subscriptions.
 * `scopes` gives each partner's replayed references, `null` for one replayed whole.
 */
async function replayChanged(
  trx: Knex.Transaction,
  group: ReadonlyArray<PartnerWork>,
  decisions: ReadonlyMap<number, { decision: PartnerDecision; licensees: ReadonlyMap<number, string> }>,
  refsBefore: ReadonlyMap<number, ReadonlySet<string>>,
  refsAfter: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<{
  result: BatchResult;
  partners: number[];
  scopes: Map<number, ReadonlySet<string> | null>;
  /** The history each replayed partner was replayed from. */
  orders: Map<number, ReplayOrder[]>;
}> {
  const scopes = new Map<number, ReadonlySet<string> | null>();
  const orders = new Map<number, ReplayOrder[]>();
  const whole: number[] = [];
  const refs = new Map<number, Set<string>>();
  for (const work of group) {
    const partnerId = work.partner.partnerId;
    if (decisions.get(partnerId)?.decision.outcome !== 'migrated') continue;
    if (work.partnerRow) {
      whole.push(partnerId);
      scopes.set(partnerId, null);
      continue;
    }
    const some = new Set([...(refsBefore.get(partnerId) ?? []), ...(refsAfter.get(partnerId) ?? [])]);
    scopes.set(partnerId, some);
    if (some.size > 0) refs.set(partnerId, some);
  }
  const replay = (histories: ReplayHistories, ids: ReadonlyArray<number>) =>
    ids.map((id) => {
      const { decision, licensees } = decisions.get(id)!;
      const history = histories.ordersOf(id);
      orders.set(id, history);
      return [id, replaySubscriptions(decision, history, licensees)] as const;
    });
  const results = new Map(replay(await readReplayOrdersOfPartners(trx, whole), whole));
  if (refs.size > 0) {
    const histories = await readReplayOrdersOfRefs(trx, arraysOf(refs));
    const first = new Map(replay(histories, [...refs.keys()]));
    const agreements = new Map(
      [...first].map(([id, result]) => [id, new Set((result.rows.agreements ?? []).map((row) => row.id))]),
    );
    const closed = await closeRefsOverAgreements(trx, refs, agreements);
    // The references the closure added, read on their own and replayed with the first ones.
    const added = new Map<number, Set<string>>();
    for (const [id, some] of closed) {
      const extra = new Set([...some].filter((ref) => !refs.get(id)?.has(ref)));
      if (extra.size > 0) added.set(id, extra);
    }
    if (added.size > 0) {
      const both = histories.with(await readReplayOrdersOfRefs(trx, arraysOf(added)));
      for (const [id, result] of replay(both, [...added.keys()])) first.set(id, result);
    }
    for (const [id, result] of first) results.set(id, result);
    for (const [id, some] of closed) scopes.set(id, some);
  }
  return { result: mergeBatchResults(...results.values()), partners: [...results.keys()], scopes, orders };
}

function arraysOf(sets: ReadonlyMap<number, ReadonlySet<string>>): Map<number, string[]> {
  return new Map([...sets].map(([id, some]) => [id, [...some]]));
}

/** writeBatch, with the rows it inserts told apart from those it updates. */
async function writeCounted(
  client: Awaited<ReturnType<typeof pgConnectionOf>>,
  trx: Knex.Transaction,
  runId: string,
  result: BatchResult,
  group: ReadonlyArray<PartnerWork>,
  jobKey: string,
  tables: SyncResult['tables'],
): Promise<void> {
  const before = new Map<TargetTableKey, Set<string>>();
  for (const key of LOAD_ORDER) {
    const rows = (result.rows[key] ?? []) as unknown as Record<string, unknown>[];
    if (rows.length === 0) continue;
    const spec = TARGET_TABLES[key];
    const column = spec.conflict[0] as string;
    const type = spec.columns.find((c) => c.name === column)?.type === 'int' ? 'int' : 'text';
    before.set(
      key,
      await readExistingKeys(
        client,
        spec.name,
        column,
        type,
        rows.map((row) => row[column] as string | number),
      ),
    );
  }
  const openBefore = await readOpenQuarantine(
    client,
    group.map((work) => work.partner.partnerId),
  );
  const summary = await writeBatch(
    trx,
    result,
    group.map((work) => ({
      runId,
      partnerId: work.partner.partnerId,
      jobKey,
      cursor: null,
      done: true,
      counts: {},
    })),
  );
  for (const [key, existing] of before) {
    const spec = TARGET_TABLES[key];
    const column = spec.conflict[0] as string;
    const rows = (result.rows[key] ?? []) as unknown as Record<string, unknown>[];
    const inserted = new Set(rows.map((row) => String(row[column])).filter((value) => !existing.has(value))).size;
    const changed = summary.tables[key]?.changed ?? 0;
    const counts = countsOf(tables, key);
    counts.inserted += inserted;
    counts.updated += Math.max(0, changed - inserted);
  }
  // Kept-out rows that had a marketplace row: licensees come back `Deleted` through the upsert
  // (counted as updated there), account users are marked by writeBatch.
  countsOf(tables, 'account_users').deleted += summary.retired;
  // Only rows quarantined now count: one that stays quarantined is not news.
  for (const problem of result.quarantined) {
    const key = PROBLEM_TABLE[problem.entity];
    if (key && !openBefore.has(`${problem.entity}|${problem.legacyKey}`)) countsOf(tables, key).quarantined += 1;
  }
}

/**
 * `ppm sync run`: keeps migrated partners in step with the legacy database. The watermark is
 * read once; each partner's window is (its synced watermark, the new one]; changed rows are
 * applied through the wave's transforms and loaders, hard deletes found by key sets are marked in
 * the archive, expired invitations are marked, each in transactions that also store the partners'
 * watermarks. The partners it touched are verified again, and one report is sealed per wave.
 * Two syncs never run at once (an advisory lock on the target).
 */
export async function runSync(services: Services, options: SyncOptions = {}): Promise<SyncResult> {
  return rideOutOutages(services, { during: 'the sync', again: 'ppm sync run', onWaiting: options.onWaiting }, () =>
    syncUnderLock(services, options),
  );
}

async function syncUnderLock(services: Services, options: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  return withSyncLock(services.target, async () => {
    const { target, source, config } = services;
    const watermark = await source.watermark();
    const partners = await listSyncPartners(target);
    const previous = await readTableWatermarks(target);
    const result: SyncResult = {
      runId: null,
      dryRun: options.dryRun === true,
      watermark,
      partners: partners.length,
      touched: 0,
      tables: {},
      ordersAfterArchive: 0,
      invitationsExpired: 0,
      waves: [],
      passed: true,
      stalledSince: stallOf(previous, watermark, config.SYNC_STALL_WARN),
      elapsedMs: 0,
      phases: { changes: 0, deletes: 0, apply: 0, verify: 0 },
    };
    let mark = Date.now();
    const lap = (phase: keyof SyncResult['phases']) => {
      const now = Date.now();
      result.phases[phase] += now - mark;
      mark = now;
    };
    if (result.stalledSince) {
      services.logger.warn(
        { watermark, since: result.stalledSince.toISOString() },
        'the legacy watermark has not moved for longer than SYNC_STALL_WARN: an open legacy transaction may be holding it back',
      );
    }
    const low = partners.reduce<string | null>(
      (min, partner) => (min === null || BigInt(partner.watermark) < BigInt(min) ? partner.watermark : min),
      null,
    );
    // The key digests that find hard deletes are read while the changed rows are.
    const digests = partners.length > 0 ? readDeleteDigests(services, partners) : undefined;
    digests?.catch(() => undefined); // awaited below
    const changed = low !== null && BigInt(low) < BigInt(watermark) ? await source.changedRows(low, watermark) : [];
    const work = collectChanges(partners, changed);
    lap('changes');
    if (digests) await collectDeletes(services, partners, work, await digests);
    lap('deletes');
    const touched = [...work.values()].sort((a, b) => a.partner.partnerId - b.partner.partnerId);
    result.touched = touched.length;
    const untouched = partners.filter((partner) => !work.has(partner.partnerId));
    const context = await services.transformContext();
    const groups = syncGroups(
      touched,
      options.groupSize,
      config.PARTITION_SIZE,
      SYNC_GROUP_BATCHES * config.BATCH_PARTNERS,
    );
    options.onProgress?.(0, touched.length);

    if (result.dryRun) {
      await target
        .transaction(async (trx) => {
          const [run] = await trx('migration.runs').insert({ kind: 'sync', watermark }).returning('id');
          const runId = String(run.id);
          let done = 0;
          for (const group of groups) {
            const outcome = await applyGroup(services, trx, runId, watermark, group, context, result.tables);
            result.ordersAfterArchive += outcome.ordersAfterArchive;
            done += group.length;
            options.onProgress?.(done, touched.length);
          }
          result.invitationsExpired = await expireInvitations(trx);
          throw new DryRunRollback('dry run');
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRunRollback)) throw error;
        });
      result.elapsedMs = Date.now() - started;
      return result;
    }

    // A sync that died left its run `running` and perhaps partners changed but not verified.
    const interrupted = new Set(await closeInterruptedSyncs(target));
    const run = await createRun(target, { kind: 'sync', watermark });
    result.runId = run.id;
    try {
      let done = 0;
      const scopes = new Map<number, PartnerScope>();
      const accountRowsRead: AccountRows[] = [];
      const replayOrders = new Map<number, { history: ReplayOrder[]; scoped: boolean }>();
      for (const group of groups) {
        const outcome = await target.transaction((trx) =>
          applyGroup(services, trx, run.id, watermark, group, context, result.tables),
        );
        result.ordersAfterArchive += outcome.ordersAfterArchive;
        for (const [partnerId, scope] of outcome.scopes) scopes.set(partnerId, scope);
        accountRowsRead.push(outcome.accountRows);
        // With the scope it was replayed over: a partner of the group's scopes, over its references.
        for (const [partnerId, history] of outcome.replayOrders)
          replayOrders.set(partnerId, { history, scoped: outcome.scopes.has(partnerId) });
        done += group.length;
        options.onProgress?.(done, touched.length);
      }
      await setPartnerWatermarks(target, untouched, watermark);
      result.invitationsExpired = await expireInvitations(target);
      lap('apply');
      const toVerify = partners.filter((partner) => work.has(partner.partnerId) || interrupted.has(partner.partnerId));
      // What a sync interrupted before had changed is not known: those partners are verified whole.
      for (const partnerId of interrupted) scopes.delete(partnerId);
      const verifyScopes = options.fullVerify ? undefined : scopes;
      result.waves = await verifyTouched(services, toVerify, watermark, verifyScopes, {
        accountRows: {
          partners: accountRowsRead.flatMap((rows) => rows.partners),
          users: accountRowsRead.flatMap((rows) => rows.users),
          customers: accountRowsRead.flatMap((rows) => rows.customers),
        },
        // A history replayed over the scope verification checks: whole, or the same references
        // (not a scoped one of a partner verified whole, interrupted before or all verified whole).
        replayOrders: new Map(
          [...replayOrders].flatMap(([partnerId, { history, scoped }]) =>
            (verifyScopes?.has(partnerId) ?? false) === scoped ? [[partnerId, history] as const] : [],
          ),
        ),
      });
      lap('verify');
      result.passed = result.waves.every((wave) => wave.passed);
      await writeTableWatermarks(target, SYNCED_TABLES, watermark, run.id);
      result.elapsedMs = Date.now() - started;
      await finishRun(target, run.id, result.passed ? 'succeeded' : 'failed', summaryCounts(result), {
        watermark,
      });
      return result;
    } catch (error) {
      // A run lost to a transient failure stays `running`: the next sync closes it and verifies what it changed.
      if (!isRetryable(error))
        await finishRun(target, run.id, 'failed', undefined, {
          error: error instanceof Error ? error.message : String(error),
        }).catch(() => undefined);
      throw error;
    }
  });
}

/** Since when the watermark has stood where it is, if longer than `warnAfterMs` and it has not moved now. */
function stallOf(
  previous: ReadonlyArray<{ rowVersion: string; movedAt: Date }>,
  watermark: string,
  warnAfterMs: number,
): Date | null {
  if (previous.length === 0) return null;
  const standing = previous.filter((row) => row.rowVersion === watermark);
  if (standing.length !== previous.length) return null;
  const since = new Date(Math.min(...standing.map((row) => row.movedAt.getTime())));
  return Date.now() - since.getTime() > warnAfterMs ? since : null;
}

function summaryCounts(result: SyncResult): Record<string, unknown> {
  return {
    partners: result.partners,
    touched: result.touched,
    tables: result.tables,
    ordersAfterArchive: result.ordersAfterArchive,
    invitationsExpired: result.invitationsExpired,
    stalledSince: result.stalledSince?.toISOString() ?? null,
  };
}

/**
 * The partners a sync touched, verified again at its watermark per wave: a run of kind `sync` for
 * the wave, the results recorded, `loaded` ones that pass become `verified` (and `verified` ones
 * that fail go back to `loaded`; cut-over partners keep their state and the report says), and the
 * report sealed like a wave's. A partner in `scopes` (verifyPartners' PartnerScope: what the sync
 * applied to it) is verified over its scope only; one absent, whole. `known` holds what the sync
 * read at `watermark` to apply it (legacy account rows, replayed histories): not read again.
 */
async function verifyTouched(
  services: Services,
  touched: ReadonlyArray<SyncPartner>,
  watermark: string,
  scopes: ReadonlyMap<number, PartnerScope> | undefined,
  known: KnownInputs,
): Promise<SyncWaveReport[]> {
  const { target } = services;
  const byWave = new Map<number, SyncPartner[]>();
  for (const partner of touched) {
    const some = byWave.get(partner.waveId);
    if (some) some.push(partner);
    else byWave.set(partner.waveId, [partner]);
  }
  const reports: SyncWaveReport[] = [];
  for (const [waveId, partners] of byWave) {
    const ids = partners.map((partner) => partner.partnerId);
    const run = await createRun(target, { kind: 'sync', waveId, watermark });
    const results = await verifyPartners(services, ids, watermark, undefined, scopes, known);
    const checks: CheckResult[] = [...results.values()].flat();
    await deleteReconciliations(target, run.id, ids);
    await insertReconciliations(target, run.id, checks);
    const { passed, failed } = partnersByVerdict(results);
    await movePartners(target, waveId, passed, 'loaded', 'verified');
    await movePartners(target, waveId, failed, 'verified', 'loaded');
    const sealed = await sealRunReport(
      services,
      { runId: run.id, runKind: 'sync', waveName: partners[0]!.waveName, watermark },
      ids,
      { results: checks },
    );
    const ok = sealed.report.verdict === 'pass';
    await finishRun(target, run.id, ok ? 'succeeded' : 'failed', undefined);
    reports.push({
      wave: partners[0]!.waveName,
      runId: run.id,
      partners: ids.length,
      passed: ok,
      sha256: sealed.sha256,
      report: sealed.report,
    });
  }
  return reports;
}
