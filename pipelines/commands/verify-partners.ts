import pLimit from 'p-limit';
import {
  ARCHIVE_ENTITIES, CANONICAL, EMPTY_CHECKSUM, sameChecksum, type ArchiveEntity, type RangeChecksum,
} from '../../src/core/canonical';
import { UsageError } from '../../src/core/errors';
import type { LegacyCustomer, LegacyUser } from '../../src/core/legacy-model';
import type { BatchResult } from '../../src/core/outcomes';
import type { AccountRow, AccountUserRow, AgreementRow, BuyerRow, LicenseeRow, SubscriptionRow, UserRow } from '../../src/core/target-model';
import { readReplayOrdersOfPartners } from '../../src/load';
import {
  convertLegacyDateTime, ENUMS, licenseeLookup, MARKETPLACE_DOCUMENT_TYPE, MARKETPLACE_INVOICE_STATUS,
  MARKETPLACE_ORDER_STATUS, MARKETPLACE_ORDER_TYPE, matchEnum, replaySubscriptions, transformCustomers, transformPartner,
  transformUsers, type PartnerDecision,
} from '../../src/transform';
import {
  archiveCompleteness, archiveMoneyCheck, archiveRowsCheck, checkResult, compareExpectedRows, compareHashedRows, diffRows, keySetCompleteness,
  readAccounting, readAccountSideRows, readArchiveCanonicalRows, readArchiveDigests, readArchiveKeyChecksums, readArchiveMappings,
  readArchiveRangeChecksums, readDanglingReferences, readMarketplaceHashes, readMarketplaceTableRows,
  readOrderedAtOutliers, readUsers,
  type CheckResult, type DanglingReference, type Discrepancy, type ExpectedTable, type HashedRow, type HashedTable,
  type MappingCombination, type OrderedAtOutlier, type OrphanedLines, type RowDiff,
} from '../../src/verify';
import type { Services } from '../services';

/** A marketplace table compared through per-partner hashes (compareHashedRows); `columns` start with the id. */
interface HashedComparison<Row extends HashedRow> extends Omit<ExpectedTable<Row>, 'expected' | 'actual'> {
  table: HashedTable;
}

const LICENSEES: HashedComparison<LicenseeRow> = {
  check: 'mapping_fidelity', entity: 'customer', table: 'licensees',
  columns: ['id', 'legacy_customer_id', 'account_id', 'buyer_id', 'seller_id', 'name', 'resale', 'external_id', 'tenant_id', 'primary_domain', 'country', 'city', 'contact_email', 'status'],
  idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_customer_id),
};
const AGREEMENTS: HashedComparison<AgreementRow> = {
  check: 'integrity', entity: 'agreement', table: 'agreements',
  columns: ['id', 'account_id', 'buyer_id', 'seller_id', 'licensee_id', 'sku', 'name', 'status'], idOf: (r) => r.id, legacyKeyOf: (r) => `${r.licensee_id}|${r.sku}`,
};
const SUBSCRIPTIONS: HashedComparison<SubscriptionRow> = {
  check: 'integrity', entity: 'subscription', table: 'subscriptions',
  columns: ['id', 'agreement_id', 'external_ref', 'sku', 'name', 'quantity', 'billing_period', 'term_months', 'start_date', 'commitment_date', 'termination_date', 'auto_renew', 'status'],
  idOf: (r) => r.id, legacyKeyOf: (r) => r.external_ref,
};

/** The marketplace tables compared through hashes, with their compared columns (id first). */
export const HASHED_COMPARISONS = [LICENSEES, AGREEMENTS, SUBSCRIPTIONS] as const;

/** Everything read for a set of partners before any check is computed: one statement per question, not per partner. */
async function readInputs(services: Services, partnerIds: number[], watermark: string) {
  const { source, target, config } = services;
  // Asked first: the partners, users and customers are needed before any check can start, and
  // the legacy pool serves statements in the order they are asked.
  const accountRows = source.readAccountRows(partnerIds, watermark, config.BATCH_SIZE);
  accountRows.catch(() => undefined); // awaited below
  // The legacy digests (a million rows hashed in the legacy database) take longest: everything
  // else is checked while they are read, and each entity's archive checks wait for its digest only.
  const legacyDigests = new Map(ARCHIVE_ENTITIES.map((entity) => {
    const digests = source.partnerDigests(entity, partnerIds, watermark);
    digests.catch(() => undefined); // awaited below; a failure of another read must not leave it unhandled
    return [entity, digests] as const;
  }));
  // The target pool serves statements in the order they are asked, too: the subscription history
  // first (the largest read, and the most work for this process once it is in), then the rest.
  const [replayOrders, archive, hashes, mappings, accounts, accounting, outliers, dangling, accountSide, context] = await Promise.all([
    readReplayOrdersOfPartners(target, partnerIds),
    readArchiveDigests(target, partnerIds),
    Promise.all(HASHED_COMPARISONS.map((spec) => readMarketplaceHashes(target, spec.table, partnerIds))),
    readArchiveMappings(target, partnerIds),
    accountRows,
    readAccounting(target, partnerIds),
    readOrderedAtOutliers(target, partnerIds, config.LEGACY_TIMEZONE),
    readDanglingReferences(target, partnerIds),
    readAccountSideRows(target, partnerIds),
    services.transformContext(),
  ]);
  for (const [partnerId, combos] of archive.lineMappings) mappings.get(partnerId)?.push(...combos);
  return {
    legacyDigests, archive, accountRows: accounts, accounting, mappings, outliers, dangling, accountSide,
    hashes: new Map<HashedTable, Map<number, RangeChecksum>>(HASHED_COMPARISONS.map((spec, index) => [spec.table, hashes[index]])),
    replayOrders, context,
  };
}

/** The archive entity a line entity hangs off. */
const PARENT_ENTITY: Partial<Record<ArchiveEntity, 'order' | 'invoice'>> = { order_line: 'order', invoice_line: 'invoice' };

const groupBy = <T>(rows: T[], keyOf: (row: T) => number) => {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
};

/** The data-diff of one entity of one partner, bisected to keys and columns (only for aggregates that differ). */
function bisectPartner(services: Services, entity: ArchiveEntity, partnerId: number, watermark: string): Promise<RowDiff> {
  const { source, target } = services;
  return diffRows(
    {
      rangeChecksums: (ranges) => source.rangeChecksums(entity, partnerId, watermark, ranges),
      keyChecksums: (range) => source.keyChecksums(entity, partnerId, watermark, range),
      readRows: (keys) => source.readCanonicalRows(entity, keys),
    },
    {
      rangeChecksums: (ranges) => readArchiveRangeChecksums(target, entity, partnerId, ranges),
      keyChecksums: (range) => readArchiveKeyChecksums(target, entity, partnerId, range),
      readRows: (keys) => readArchiveCanonicalRows(target, entity, keys),
    },
  );
}

/** The archive's mapped columns (enum mappings, account and licensee ids, ordered_at) recomputed through the mapping. */
function archiveMappingCheck(
  decision: PartnerDecision, licensees: ReadonlyMap<number, string>, combos: MappingCombination[], outliers: OrderedAtOutlier[], zone: string,
): CheckResult {
  const partnerId = decision.partnerId;
  const discrepancies: Discrepancy[] = [];
  const mapped = (value: string | undefined, table: Readonly<Record<string, string>>) => (value === undefined ? null : table[value]);
  for (const combo of combos) {
    let expected: Record<string, string | null>;
    if (combo.entity === 'order' && 'order_type' in combo.raw) {
      expected = {
        marketplace_type: mapped(matchEnum(ENUMS.orderType, String(combo.raw.order_type)), MARKETPLACE_ORDER_TYPE),
        marketplace_status: mapped(matchEnum(ENUMS.orderStatus, String(combo.raw.status)), MARKETPLACE_ORDER_STATUS),
        account_id: decision.accountId,
      };
    } else if (combo.entity === 'order') {
      const customerId = combo.raw.legacy_customer_id;
      expected = { licensee_id: customerId === null || decision.outcome !== 'migrated' ? null : licensees.get(Number(customerId)) ?? null };
    } else if (combo.entity === 'order_line') {
      expected = { billing_frequency: matchEnum(ENUMS.billingFrequency, String(combo.raw.billing_frequency_raw)) ?? null };
    } else {
      expected = {
        document_type: mapped(matchEnum(ENUMS.documentType, String(combo.raw.document_type_raw)), MARKETPLACE_DOCUMENT_TYPE),
        marketplace_status: mapped(matchEnum(ENUMS.invoiceStatus, String(combo.raw.status)), MARKETPLACE_INVOICE_STATUS),
        account_id: decision.accountId,
      };
    }
    const columns = Object.entries(expected)
      .filter(([column, value]) => (combo.mapped[column] ?? null) !== value)
      .map(([column, value]) => ({ column, legacy: value, target: combo.mapped[column] ?? null }));
    if (columns.length > 0) {
      discrepancies.push({
        check: 'mapping_fidelity', entity: combo.entity, partnerId, legacyKey: String(combo.exampleKey), kind: 'changed', columns,
        detail: `${combo.rows} archived row(s) with ${JSON.stringify(combo.raw)} map to other values than the mapping gives (first key shown)`,
      });
    }
  }
  for (const outlier of outliers) {
    const converted = convertLegacyDateTime(outlier.local, zone);
    const expected = converted.kind === 'instant' ? converted.utc : null;
    if (expected !== outlier.orderedAt) {
      discrepancies.push({
        check: 'mapping_fidelity', entity: 'order', partnerId, legacyKey: String(outlier.key), kind: 'changed',
        columns: [{ column: 'ordered_at', legacy: expected, target: outlier.orderedAt }], detail: 'ordered_at is not OrderDate converted to UTC',
      });
    }
  }
  return checkResult({
    check: 'mapping_fidelity', entity: 'archive', partnerId, expected: `${combos.length} mapped value combinations`,
    actual: `${combos.length - discrepancies.length} as mapped`,
  }, discrepancies);
}

/**
 * One partner's hashed marketplace tables: licensees as the transform makes them, agreements and
 * subscriptions as the replay of its history makes them. Equal hashes mean the stored rows are
 * the expected ones; otherwise they are read (`readStored`) and the differences named. Resolves
 * with the stored licensees (the expected ones unless they were read). Not async: the replayed
 * rows are garbage once hashed, where an async caller's suspended frame would hold them until
 * every partner of the chunk had had its turn (hundreds of thousands of rows for a wave, all
 * copied by the garbage collector).
 */
function compareHashedTables(
  partnerId: number, decision: PartnerDecision, customerResult: BatchResult, licensees: ReadonlyMap<number, string>,
  inputs: Pick<Awaited<ReturnType<typeof readInputs>>, 'hashes' | 'replayOrders'>, readStored: (table: HashedTable) => Promise<HashedRow[]>,
): Promise<{ checks: CheckResult[]; storedLicensees: LicenseeRow[] }> {
  const replay = replaySubscriptions(decision, inputs.replayOrders.ordersOf(partnerId), licensees);
  const compare = <Row extends HashedRow>(spec: HashedComparison<Row>, expected: Row[], read = (rows: Row[]) => rows) => compareHashedRows<Row>(
    partnerId, { ...spec, expected }, inputs.hashes.get(spec.table)?.get(partnerId) ?? EMPTY_CHECKSUM,
    async () => read((await readStored(spec.table)) as Row[]),
  );
  let storedLicensees = (customerResult.rows.licensees ?? []) as LicenseeRow[];
  return Promise.all([
    compare(LICENSEES, storedLicensees, (rows) => (storedLicensees = rows)),
    compare(AGREEMENTS, (replay.rows.agreements ?? []) as AgreementRow[]),
    compare(SUBSCRIPTIONS, (replay.rows.subscriptions ?? []) as SubscriptionRow[]),
  ]).then((checks) => ({ checks, storedLicensees }));
}

/**
 * Every check of these partners, each counted afresh from both databases. Aggregates (row
 * checksums, money, key sets, marketplace row hashes) come from one grouped statement per
 * question for all the partners; only a partner whose aggregates differ is looked at closer:
 * its archive ranges bisected down to keys and columns, its marketplace rows read and compared.
 * `onChecked` is given results as soon as they are known, a few at a time (to record them while
 * the rest are checked): the marketplace checks first, then each archive entity's as its legacy
 * digest comes in. Resolves with every partner's results.
 */
export async function verifyPartners(
  services: Services, partnerIds: number[], watermark: string, onChecked?: (results: CheckResult[]) => void,
): Promise<Map<number, CheckResult[]>> {
  const { target, config } = services;
  const inputs = await readInputs(services, partnerIds, watermark);
  const partners = new Map(inputs.accountRows.partners.map((partner) => [partner.PartnerId, partner]));
  const usersOf = groupBy<LegacyUser>(inputs.accountRows.users, (user) => user.PartnerId);
  const customersOf = groupBy<LegacyCustomer>(inputs.accountRows.customers, (customer) => customer.PartnerId);
  const missing = partnerIds.filter((id) => !partners.has(id));
  if (missing.length > 0) throw new UsageError(`partner ${missing.join(', ')} does not exist in the legacy database at watermark ${watermark}`);

  const transformed = partnerIds.map((partnerId) => {
    const partner = partners.get(partnerId)!;
    const users = usersOf.get(partnerId) ?? [];
    const customers = customersOf.get(partnerId) ?? [];
    const { decision, result: partnerResult } = transformPartner(partner, inputs.context);
    return {
      partnerId, decision, partnerResult, users, customers,
      userResult: transformUsers(decision, users, inputs.context),
      customerResult: transformCustomers(decision, partner, customers, inputs.context),
      licensees: licenseeLookup(decision, customers),
    };
  });
  const memberIds = new Set<string>();
  for (const item of transformed) {
    for (const user of item.userResult.rows.users ?? []) memberIds.add(user.id);
    for (const row of inputs.accountSide.get(item.partnerId)?.account_users ?? []) memberIds.add(row.user_id);
  }
  const usersById = new Map((await readUsers(target, [...memberIds])).map((user) => [user.id, user]));
  const closer = pLimit(2);

  const perPartner = await Promise.all(transformed.map(async (item): Promise<[number, CheckResult[]]> => {
    const { partnerId, decision, partnerResult, userResult, customerResult, licensees } = item;
    // Orphaned lines count for the partner whose archived parent keys span them.
    const orphansOf = (entity: ArchiveEntity, span: RangeChecksum | undefined): OrphanedLines[] =>
      (inputs.archive.orphanParents.get(entity) ?? []).filter((orphan) => span !== undefined && span.minKey !== null && span.maxKey !== null
        && orphan.parentKey >= span.minKey && orphan.parentKey <= span.maxKey);

    const legacyKeys = {
      partner: [partnerId],
      user: item.users.map((user) => user.UserId),
      customer: item.customers.map((customer) => customer.CustomerId),
    };
    const accounted = inputs.accounting.get(partnerId)!.keys;
    const keyChecks = (['partner', 'user', 'customer'] as const).map((entity) => keySetCompleteness(entity, partnerId, legacyKeys[entity], accounted[entity]));
    const { checks: [licenseeCheck, agreementCheck, subscriptionCheck], storedLicensees } = await compareHashedTables(
      partnerId, decision, customerResult, licensees, inputs, (table) => closer(() => readMarketplaceTableRows(target, table, partnerId)),
    );

    const side = inputs.accountSide.get(partnerId) ?? { accounts: [], buyers: [], account_users: [] };
    const combos = inputs.mappings.get(partnerId) ?? [];
    const dangling: DanglingReference[] = [...(inputs.dangling.get(partnerId) ?? [])];
    for (const entity of ['order_line', 'invoice_line'] as const) {
      const parent = PARENT_ENTITY[entity]!;
      for (const orphan of orphansOf(entity, inputs.archive.digests.get(parent)!.get(partnerId)?.checksum)) {
        dangling.push({
          entity: parent, legacyKey: String(orphan.parentKey), marketplaceId: null,
          detail: `${orphan.lines} archived ${parent} line(s) reference this missing ${parent}`,
        });
      }
    }
    // Archive references to live objects, from their distinct values: each must name a stored row of this partner.
    const accountIds = new Set(side.accounts.map((row) => row.id));
    const licenseeIds = new Set(storedLicensees.map((row) => row.id));
    for (const combo of combos) {
      const account = combo.mapped.account_id;
      const licensee = combo.mapped.licensee_id;
      if (account && !accountIds.has(account)) {
        dangling.push({ entity: combo.entity, legacyKey: String(combo.exampleKey), marketplaceId: account, detail: `${combo.rows} archived row(s) reference a missing account` });
      }
      if (licensee && !licenseeIds.has(licensee)) {
        dangling.push({ entity: combo.entity, legacyKey: String(combo.exampleKey), marketplaceId: licensee, detail: `${combo.rows} archived row(s) reference a missing licensee` });
      }
    }

    const expectedUsers = userResult.rows.users ?? [];
    const memberOf = new Set([...expectedUsers.map((user) => user.id), ...side.account_users.map((row) => row.user_id)]);
    const storedUsers = [...memberOf].map((id) => usersById.get(id)).filter((user): user is UserRow => user !== undefined);
    const byLegacyUser = new Map((userResult.rows.account_users ?? []).map((row) => [row.user_id, String(row.legacy_user_id)]));
    const mappingChecks: CheckResult[] = [
      compareExpectedRows<AccountRow>(partnerId, {
        check: 'mapping_fidelity', entity: 'partner', table: 'accounts', expected: partnerResult.rows.accounts ?? [], actual: side.accounts,
        columns: ['legacy_partner_id', 'type', 'name', 'status', 'partner', 'external_id', 'mpn_id'], idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_partner_id),
      }),
      compareExpectedRows<BuyerRow>(partnerId, {
        check: 'mapping_fidelity', entity: 'partner', table: 'buyers', expected: partnerResult.rows.buyers ?? [], actual: side.buyers,
        columns: ['legacy_partner_id', 'account_id', 'seller_id', 'name', 'tax_id', 'address_line1', 'city', 'post_code', 'country', 'currency', 'contact_email', 'status'],
        idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_partner_id),
      }),
      compareExpectedRows<AccountUserRow>(partnerId, {
        check: 'mapping_fidelity', entity: 'user', table: 'account_users', expected: userResult.rows.account_users ?? [], actual: side.account_users,
        columns: ['legacy_user_id', 'account_id', 'user_id', 'group_name'], idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_user_id),
      }),
      compareExpectedRows<UserRow>(partnerId, {
        check: 'mapping_fidelity', entity: 'user', table: 'users', expected: expectedUsers,
        // A user shared with other partners takes its names from the lowest legacy user: compare names only where that is ours.
        actual: storedUsers.map((row) => {
          const mine = expectedUsers.find((user) => user.id === row.id);
          return mine && Number(row.source_legacy_user_id) !== mine.source_legacy_user_id
            ? { ...row, first_name: mine.first_name, last_name: mine.last_name, source_legacy_user_id: mine.source_legacy_user_id } : row;
        }),
        columns: ['email', 'first_name', 'last_name', 'status'], idOf: (r) => r.id, legacyKeyOf: (r) => byLegacyUser.get(r.id) ?? null,
      }),
      licenseeCheck,
      archiveMappingCheck(decision, licensees, combos, inputs.outliers.get(partnerId) ?? [], config.LEGACY_TIMEZONE),
      agreementCheck,
      subscriptionCheck,
      checkResult({ check: 'integrity', entity: 'references', partnerId, expected: '0 unresolved references', actual: `${dangling.length} unresolved references` },
        dangling.map((d): Discrepancy => ({ check: 'integrity', entity: d.entity, partnerId, legacyKey: d.legacyKey, marketplaceId: d.marketplaceId, kind: 'dangling', detail: d.detail }))),
    ];
    onChecked?.([...keyChecks, ...mappingChecks]);
    // Archive: equal (count, hash sum) per entity needs nothing more; a difference, or a stray line in the partner's key span, is bisected.
    const archive = await Promise.all(ARCHIVE_ENTITIES.map(async (entity) => {
      const legacy = (await inputs.legacyDigests.get(entity)!).get(partnerId)?.checksum ?? EMPTY_CHECKSUM;
      const stored = inputs.archive.digests.get(entity)!.get(partnerId)?.checksum ?? EMPTY_CHECKSUM;
      const parent = CANONICAL[entity].parent;
      const span = parent ? inputs.archive.digests.get(PARENT_ENTITY[entity]!)!.get(partnerId)?.checksum : undefined;
      const strays = orphansOf(entity, span).length > 0;
      const diff: RowDiff = sameChecksum(legacy, stored) && !strays
        ? { legacy, target: stored, missing: [], extra: [], changed: [], truncated: false, rangeQueries: 0 }
        : await closer(() => bisectPartner(services, entity, partnerId, watermark));
      const problems = inputs.accounting.get(partnerId)?.problems.get(entity) ?? { quarantined: 0, skipped: 0 };
      const checks = [archiveCompleteness(entity, partnerId, diff, problems), archiveRowsCheck(entity, partnerId, diff)];
      onChecked?.(checks);
      return checks;
    }));

    const money = await Promise.all((['order', 'invoice'] as const).map(async (entity) => {
      const legacy = (await inputs.legacyDigests.get(entity)!).get(partnerId)?.money ?? [];
      const check = archiveMoneyCheck(entity, partnerId, legacy, inputs.archive.digests.get(entity)!.get(partnerId)?.money ?? []);
      onChecked?.([check]);
      return check;
    }));

    return [partnerId, [...keyChecks, ...archive.flat(), ...money, ...mappingChecks]];
  }));
  return new Map(perPartner);
}
