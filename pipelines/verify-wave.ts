import pLimit from 'p-limit';
import { ARCHIVE_ENTITIES, type ArchiveEntity } from '../src/core/canonical';
import { UsageError } from '../src/core/errors';
import type { LegacyCustomer, LegacyUser } from '../src/core/legacy-model';
import type { AccountRow, AccountUserRow, AgreementRow, BuyerRow, LicenseeRow, SubscriptionRow, UserRow } from '../src/core/target-model';
import { createRun, findWave, finishRun, listWavePartners, readReplayOrders, setPartnerState, withLoadTransaction } from '../src/load';
import {
  convertLegacyDateTime, ENUMS, licenseeLookup, MARKETPLACE_DOCUMENT_TYPE, MARKETPLACE_INVOICE_STATUS,
  MARKETPLACE_ORDER_STATUS, MARKETPLACE_ORDER_TYPE, matchEnum, replaySubscriptions, transformCustomers, transformPartner,
  transformUsers, type PartnerDecision,
} from '../src/transform';
import {
  archiveCompleteness, archiveMoneyCheck, archiveRowsCheck, buildReport, checkResult, compareExpectedRows, countProblemRows,
  diffRows, findLatestRun, insertReconciliations, insertReport, keySetCompleteness, readAccountedKeys, readArchiveCanonicalRows,
  readArchiveKeyChecksums, readArchiveMappings, readArchiveMoneySums, readArchiveRangeChecksums, readDanglingReferences,
  readLastSeal, readMarketplaceRows, readOrderedAtOutliers, readProblemGroups, readReconciliations, sealOf,
  type CheckResult, type Discrepancy, type MappingCombination, type Report,
} from '../src/verify';
import { collectRows } from './collect-rows';
import type { Services } from './services';

/** Archive fidelity and completeness of one archive entity: the data-diff of both databases, counted afresh. */
async function checkArchiveEntity(services: Services, entity: ArchiveEntity, partnerId: number, watermark: string): Promise<CheckResult[]> {
  const { source, target } = services;
  const diff = await diffRows(
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
  const problems = await countProblemRows(target, entity, partnerId);
  return [archiveCompleteness(entity, partnerId, diff, problems), archiveRowsCheck(entity, partnerId, diff)];
}

/** The archive's mapped columns (enum mappings, account and licensee ids, ordered_at) recomputed through the mapping. */
async function checkArchiveMappings(
  services: Services, decision: PartnerDecision, licensees: ReadonlyMap<number, string>,
): Promise<{ result: CheckResult; combos: MappingCombination[] }> {
  const partnerId = decision.partnerId;
  const zone = services.config.LEGACY_TIMEZONE;
  const [combos, outliers] = await Promise.all([
    readArchiveMappings(services.target, partnerId),
    readOrderedAtOutliers(services.target, partnerId, zone),
  ]);
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
  const result = checkResult({ check: 'mapping_fidelity', entity: 'archive', partnerId, expected: `${combos.length} mapped value combinations`, actual: `${combos.length - discrepancies.length} as mapped` }, discrepancies);
  return { result, combos };
}

/** Every check of one partner, each counted afresh from both databases. */
export async function verifyPartner(services: Services, partnerId: number, watermark: string): Promise<CheckResult[]> {
  const { source, target, config } = services;
  const context = await services.transformContext();
  const partner = await source.readPartner(partnerId, watermark);
  if (!partner) throw new UsageError(`partner ${partnerId} does not exist in the legacy database at watermark ${watermark}`);
  const options = { watermark, batchSize: config.BATCH_SIZE };
  const [users, customers] = await Promise.all([
    collectRows<LegacyUser>(source.streamUsers(partnerId, options)),
    collectRows<LegacyCustomer>(source.streamCustomers(partnerId, options)),
  ]);
  const { decision, result: partnerResult } = transformPartner(partner, context);
  const userResult = transformUsers(decision, users, context);
  const customerResult = transformCustomers(decision, partner, customers, context);
  const licensees = licenseeLookup(decision, customers);

  const archiveChecks = Promise.all(ARCHIVE_ENTITIES.map((entity) => checkArchiveEntity(services, entity, partnerId, watermark)));
  const moneyChecks = Promise.all([source.moneySums(partnerId, watermark), readArchiveMoneySums(target, partnerId)])
    .then(([legacy, archived]) => [archiveMoneyCheck('order', partnerId, legacy, archived), archiveMoneyCheck('invoice', partnerId, legacy, archived)]);
  const keyChecks = Promise.all((['partner', 'user', 'customer'] as const).map(async (entity) => {
    const [legacyKeys, accounted] = await Promise.all([source.listKeys(entity, partnerId, watermark), readAccountedKeys(target, entity, partnerId)]);
    return keySetCompleteness(entity, partnerId, legacyKeys, accounted);
  }));

  const expectedUsers = userResult.rows.users ?? [];
  const [stored, replayOrders, mappings, archive] = await Promise.all([
    readMarketplaceRows(target, partnerId, expectedUsers.map((user) => user.id)),
    decision.outcome === 'migrated' ? readReplayOrders(target, partnerId) : Promise.resolve([]),
    checkArchiveMappings(services, decision, licensees),
    archiveChecks,
  ]);
  const archiveRowsDiffer = archive.flat().some((result) => !result.passed);
  const dangling = await readDanglingReferences(target, partnerId, { archiveLines: archiveRowsDiffer });
  // Archive references to live objects, from their distinct values: each must name a stored row of this partner.
  const accountIds = new Set(stored.accounts.map((row) => row.id));
  const licenseeIds = new Set(stored.licensees.map((row) => row.id));
  for (const combo of mappings.combos) {
    const account = combo.mapped.account_id;
    const licensee = combo.mapped.licensee_id;
    if (account && !accountIds.has(account)) {
      dangling.push({ entity: combo.entity, legacyKey: String(combo.exampleKey), marketplaceId: account, detail: `${combo.rows} archived row(s) reference a missing account` });
    }
    if (licensee && !licenseeIds.has(licensee)) {
      dangling.push({ entity: combo.entity, legacyKey: String(combo.exampleKey), marketplaceId: licensee, detail: `${combo.rows} archived row(s) reference a missing licensee` });
    }
  }
  // The replay reads the archive: the archive checks of this same run prove it equals legacy.
  const replay = replaySubscriptions(decision, replayOrders, licensees);
  const byLegacyUser = new Map((userResult.rows.account_users ?? []).map((row) => [row.user_id, String(row.legacy_user_id)]));
  const mappingChecks: CheckResult[] = [
    compareExpectedRows<AccountRow>(partnerId, {
      check: 'mapping_fidelity', entity: 'partner', table: 'accounts', expected: partnerResult.rows.accounts ?? [], actual: stored.accounts,
      columns: ['legacy_partner_id', 'type', 'name', 'status', 'partner', 'external_id', 'mpn_id'], idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_partner_id),
    }),
    compareExpectedRows<BuyerRow>(partnerId, {
      check: 'mapping_fidelity', entity: 'partner', table: 'buyers', expected: partnerResult.rows.buyers ?? [], actual: stored.buyers,
      columns: ['legacy_partner_id', 'account_id', 'seller_id', 'name', 'tax_id', 'address_line1', 'city', 'post_code', 'country', 'currency', 'contact_email', 'status'],
      idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_partner_id),
    }),
    compareExpectedRows<AccountUserRow>(partnerId, {
      check: 'mapping_fidelity', entity: 'user', table: 'account_users', expected: userResult.rows.account_users ?? [], actual: stored.account_users,
      columns: ['legacy_user_id', 'account_id', 'user_id', 'group_name'], idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_user_id),
    }),
    compareExpectedRows<UserRow>(partnerId, {
      check: 'mapping_fidelity', entity: 'user', table: 'users', expected: expectedUsers,
      // A user shared with other partners takes its names from the lowest legacy user: compare names only where that is ours.
      actual: stored.users.map((row) => {
        const mine = expectedUsers.find((user) => user.id === row.id);
        return mine && Number(row.source_legacy_user_id) !== mine.source_legacy_user_id
          ? { ...row, first_name: mine.first_name, last_name: mine.last_name, source_legacy_user_id: mine.source_legacy_user_id } : row;
      }),
      columns: ['email', 'first_name', 'last_name', 'status'], idOf: (r) => r.id, legacyKeyOf: (r) => byLegacyUser.get(r.id) ?? null,
    }),
    compareExpectedRows<LicenseeRow>(partnerId, {
      check: 'mapping_fidelity', entity: 'customer', table: 'licensees', expected: customerResult.rows.licensees ?? [], actual: stored.licensees,
      columns: ['legacy_customer_id', 'account_id', 'buyer_id', 'seller_id', 'name', 'resale', 'external_id', 'tenant_id', 'primary_domain', 'country', 'city', 'contact_email', 'status'],
      idOf: (r) => r.id, legacyKeyOf: (r) => String(r.legacy_customer_id),
    }),
    mappings.result,
    compareExpectedRows<AgreementRow>(partnerId, {
      check: 'integrity', entity: 'agreement', table: 'agreements', expected: replay.rows.agreements ?? [], actual: stored.agreements,
      columns: ['account_id', 'buyer_id', 'seller_id', 'licensee_id', 'sku', 'name', 'status'], idOf: (r) => r.id, legacyKeyOf: (r) => `${r.licensee_id}|${r.sku}`,
    }),
    compareExpectedRows<SubscriptionRow>(partnerId, {
      check: 'integrity', entity: 'subscription', table: 'subscriptions', expected: replay.rows.subscriptions ?? [], actual: stored.subscriptions,
      columns: ['agreement_id', 'external_ref', 'sku', 'name', 'quantity', 'billing_period', 'term_months', 'start_date', 'commitment_date', 'termination_date', 'auto_renew', 'status'],
      idOf: (r) => r.id, legacyKeyOf: (r) => r.external_ref,
    }),
    checkResult({ check: 'integrity', entity: 'references', partnerId, expected: '0 unresolved references', actual: `${dangling.length} unresolved references` },
      dangling.map((d): Discrepancy => ({ check: 'integrity', entity: d.entity, partnerId, legacyKey: d.legacyKey, marketplaceId: d.marketplaceId, kind: 'dangling', detail: d.detail }))),
  ];
  const [money, keys] = await Promise.all([moneyChecks, keyChecks]);
  return [...keys, ...archive.flat(), ...money, ...mappingChecks];
}

/** Verifies one partner within a run, records the results, and moves it to `verified` when every check passed. */
export async function verifyAndRecordPartner(
  services: Services, run: { runId: string; waveId: number }, partnerId: number, watermark: string,
): Promise<CheckResult[]> {
  const results = await verifyPartner(services, partnerId, watermark);
  await insertReconciliations(services.target, run.runId, results);
  if (results.every((result) => result.passed)) await setPartnerState(services.target, run.waveId, partnerId, 'verified');
  return results;
}

/** Builds the run's report from its recorded results and seals it into the hash chain. */
export async function sealRunReport(
  services: Services, run: { runId: string; runKind: string; waveName: string; watermark: string | null }, partnerIds: number[],
): Promise<{ report: Report; sha256: string }> {
  const { target } = services;
  const results = await readReconciliations(target, run.runId);
  const [quarantine, skipped, findings] = await Promise.all([
    readProblemGroups(target, 'quarantine', partnerIds),
    readProblemGroups(target, 'skipped', partnerIds),
    readProblemGroups(target, 'findings', partnerIds),
  ]);
  return withLoadTransaction(target, async (trx) => {
    const previousSha256 = await readLastSeal(trx);
    const report = buildReport({
      runId: run.runId, runKind: run.runKind, wave: run.waveName, watermark: run.watermark, generatedAt: new Date().toISOString(),
      partnerIds, results, quarantine, skipped, findings, previousSha256,
    });
    const sha256 = sealOf(report);
    await insertReport(trx, run.runId, report, sha256, previousSha256);
    return { report, sha256 };
  });
}

export interface VerifyWaveOptions {
  /** Only this partner of the wave. */
  partnerId?: number;
  /** Partners verified at once. Default 2. */
  concurrency?: number;
}

export interface VerifyWaveResult {
  runId: string;
  report: Report;
  sha256: string;
  passed: boolean;
  elapsedMs: number;
}

/**
 * `ppm verify`: a `verify` run over the wave's partners at the watermark the wave last loaded
 * up to; every check per partner, recorded, the report sealed; partners that pass become `verified`.
 */
export async function verifyWave(services: Services, waveName: string, options: VerifyWaveOptions = {}): Promise<VerifyWaveResult> {
  const started = Date.now();
  const { target } = services;
  const wave = await findWave(target, waveName);
  if (!wave) throw new UsageError(`no wave named "${waveName}"`);
  const loadRun = await findLatestRun(target, wave.id, 'wave');
  if (!loadRun?.watermark) throw new UsageError(`wave "${waveName}" has not been run yet: nothing to verify`);
  const members = await listWavePartners(target, wave.id);
  let partnerIds = members.map((member) => member.legacy_partner_id);
  if (options.partnerId !== undefined) {
    if (!partnerIds.includes(options.partnerId)) throw new UsageError(`partner ${options.partnerId} is not in wave "${waveName}"`);
    partnerIds = [options.partnerId];
  }
  const states = new Map(members.map((member) => [member.legacy_partner_id, member.state]));
  const run = await createRun(target, { kind: 'verify', waveId: wave.id, watermark: loadRun.watermark });
  try {
    const limit = pLimit(options.concurrency ?? 2);
    await Promise.all(partnerIds.map((partnerId) => limit(async () => {
      const results = await verifyPartner(services, partnerId, loadRun.watermark!);
      await insertReconciliations(target, run.id, results);
      const passed = results.every((result) => result.passed);
      const state = states.get(partnerId);
      // Only a loaded partner is promoted; a failing check sends a verified one back to loaded.
      if (passed && state === 'loaded') await setPartnerState(target, wave.id, partnerId, 'verified');
      if (!passed && state === 'verified') await setPartnerState(target, wave.id, partnerId, 'loaded');
    })));
    const sealed = await sealRunReport(services, { runId: run.id, runKind: 'verify', waveName, watermark: loadRun.watermark }, partnerIds);
    const passed = sealed.report.verdict === 'pass';
    await finishRun(target, run.id, passed ? 'succeeded' : 'failed', undefined);
    return { runId: run.id, report: sealed.report, sha256: sealed.sha256, passed, elapsedMs: Date.now() - started };
  } catch (error) {
    await finishRun(target, run.id, 'failed', undefined, { error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  }
}
