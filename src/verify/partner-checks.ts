import type { Knex } from 'knex';
import pLimit from 'p-limit';
import {
  ARCHIVE_ENTITIES,
  CANONICAL,
  EMPTY_CHECKSUM,
  sameChecksum,
  type ArchiveEntity,
  type RangeChecksum,
} from '../core/canonical';
import { accountSideChecks } from './account-side-checks';
import { archiveMoneyCheck, archiveRowsCheck } from './archive-fidelity';
import { archiveMappingCheck } from './archive-mapping-check';
import type { RowDiff } from './bisect';
import { bisectPartner, type LegacyChecksums } from './bisect-partner';
import { archiveCompleteness, keySetCompleteness } from './completeness';
import { compareHashedTables } from './hashed-comparisons';
import type { MappedDecision, MappedPartner, VerifyMapping } from './mapping';
import type { CheckResult, PartnerScope } from './model';
import type { PartnerCheckInputs } from './partner-check-inputs';
import { referencesCheck } from './references-check';
import type { OrphanedLines } from './sql/read-archive-digests';
import { readMarketplaceTableRows, readUsers } from './sql/read-marketplace-rows';

export interface PartnerCheckOptions<Decision extends MappedDecision> {
  /** The mapping expected values are recomputed through. */
  mapping: VerifyMapping<Decision>;
  /** The marketplace database, read closer only for a partner whose aggregates differ. */
  target: Knex;
  /** The legacy database, for bisecting an archive entity whose checksums differ. */
  legacy: LegacyChecksums;
  /** Source watermark the legacy side is read at. */
  watermark: string;
  /** IANA zone of the legacy DATETIME columns. */
  zone: string;
  /**
   * Given results as soon as they are known, a few at a time (to record them while the rest are
   * checked): a partner's marketplace checks first, then each archive entity's as its legacy digest comes in.
   */
  onChecked?(results: CheckResult[]): void;
}

/** The archive entity a line entity hangs off. */
const PARENT_ENTITY: Partial<Record<ArchiveEntity, 'order' | 'invoice'>> = {
  order_line: 'order',
  invoice_line: 'invoice',
};

/** The parent keys of a scope an archive entity is checked over (a line by its parent's key). */
function scopeKeysOf(scope: PartnerScope, entity: ArchiveEntity): ReadonlyArray<number> {
  return (PARENT_ENTITY[entity] ?? entity) === 'order' ? scope.orders : scope.invoices;
}

/** What a scoped check covered, as the report shows it beside its expected value. */
function scopeText(scope: PartnerScope, entity: string): string | undefined {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  if (entity.startsWith('order')) return count(new Set(scope.orders).size, 'order');
  if (entity.startsWith('invoice')) return count(new Set(scope.invoices).size, 'invoice');
  if (entity === 'agreement' || entity === 'subscription')
    return count(new Set(scope.subscriptionRefs).size, 'subscription ref');
  if (entity === 'archive' || entity === 'references')
    return `${count(new Set(scope.orders).size, 'order')} and ${count(new Set(scope.invoices).size, 'invoice')}`;
  return undefined;
}

/** A scoped partner's result, saying what it covered: `… (scope: 3 orders)`; a check the scope leaves whole is as it was. */
export function withScope(result: CheckResult, scope: PartnerScope | undefined): CheckResult {
  const covered = scope && scopeText(scope, result.entity);
  return covered ? { ...result, expected: `${result.expected} (scope: ${covered})` } : result;
}

/**
 * Every check of these partners, from their aggregates (`inputs`) and their account side as the
 * mapping makes it (`partners`). Only a partner whose aggregates differ is looked at closer: its
 * archive ranges bisected down to keys and columns, its hashed marketplace rows read and compared
 * (at most two such reads at a time). Resolves with every partner's results.
 */
export async function checkPartners<Decision extends MappedDecision>(
  partners: ReadonlyArray<MappedPartner<Decision>>,
  inputs: PartnerCheckInputs,
  options: PartnerCheckOptions<Decision>,
): Promise<Map<number, CheckResult[]>> {
  const { mapping, target, legacy, watermark, zone, onChecked } = options;
  const memberIds = new Set<string>();
  for (const item of partners) {
    for (const user of item.userResult.rows.users ?? []) memberIds.add(user.id);
    for (const row of inputs.accountSide.get(item.partnerId)?.account_users ?? []) memberIds.add(row.user_id);
  }
  const usersById = new Map((await readUsers(target, [...memberIds])).map((user) => [user.id, user]));
  const closer = pLimit(2);

  const perPartner = await Promise.all(
    partners.map(async (item): Promise<[number, CheckResult[]]> => {
      const { partnerId, decision, licensees } = item;
      const scope = inputs.scopes?.get(partnerId);
      const scoped = (results: CheckResult[]) => (scope ? results.map((result) => withScope(result, scope)) : results);
      // Orphaned lines count for the partner whose archived parent keys span them (a scoped partner's: its scope's).
      const orphansOf = (entity: ArchiveEntity, span: RangeChecksum | undefined): OrphanedLines[] =>
        scope
          ? (inputs.archive.scopedOrphans.get(entity)?.get(partnerId) ?? [])
          : (inputs.archive.orphanParents.get(entity) ?? []).filter(
              (orphan) =>
                span !== undefined &&
                span.minKey !== null &&
                span.maxKey !== null &&
                orphan.parentKey >= span.minKey &&
                orphan.parentKey <= span.maxKey,
            );
      const spanOf = (parent: 'order' | 'invoice') => inputs.archive.digests.get(parent)!.get(partnerId)?.checksum;

      const legacyKeys = {
        partner: [partnerId],
        user: item.users.map((user) => user.UserId),
        customer: item.customers.map((customer) => customer.CustomerId),
      };
      const accounted = inputs.accounting.get(partnerId)!.keys;
      const keyChecks = (['partner', 'user', 'customer'] as const).map((entity) =>
        keySetCompleteness(entity, partnerId, legacyKeys[entity], accounted[entity]),
      );
      const {
        checks: [licenseeCheck, agreementCheck, subscriptionCheck],
        storedLicensees,
      } = await compareHashedTables(mapping, item, inputs, (table) =>
        closer(() => readMarketplaceTableRows(target, table, partnerId, scope?.subscriptionRefs)),
      );

      const side = inputs.accountSide.get(partnerId) ?? { accounts: [], buyers: [], account_users: [] };
      const combos = inputs.mappings.get(partnerId) ?? [];
      const references = referencesCheck(partnerId, inputs.dangling.get(partnerId) ?? [], {
        orphans: {
          order: orphansOf('order_line', spanOf('order')),
          invoice: orphansOf('invoice_line', spanOf('invoice')),
        },
        combos,
        accountIds: new Set(side.accounts.map((row) => row.id)),
        licenseeIds: new Set(storedLicensees.map((row) => row.id)),
      });
      const mappingChecks: CheckResult[] = scoped([
        ...accountSideChecks(item, side, usersById),
        licenseeCheck,
        archiveMappingCheck(mapping, decision, licensees, combos, inputs.outliers.get(partnerId) ?? [], zone),
        agreementCheck,
        subscriptionCheck,
        references,
      ]);
      onChecked?.([...keyChecks, ...mappingChecks]);
      // Archive: equal (count, hash sum) per entity needs nothing more; a difference, or a stray
      // line in the partner's key span, is bisected.
      const archive = await Promise.all(
        ARCHIVE_ENTITIES.map(async (entity) => {
          const legacyChecksum = (await inputs.legacyDigests.get(entity)!).get(partnerId)?.checksum ?? EMPTY_CHECKSUM;
          const stored = inputs.archive.digests.get(entity)!.get(partnerId)?.checksum ?? EMPTY_CHECKSUM;
          const parent = CANONICAL[entity].parent;
          const span = parent ? spanOf(PARENT_ENTITY[entity]!) : undefined;
          const strays = orphansOf(entity, span).length > 0;
          const diff: RowDiff =
            sameChecksum(legacyChecksum, stored) && !strays
              ? {
                  legacy: legacyChecksum,
                  target: stored,
                  missing: [],
                  extra: [],
                  changed: [],
                  truncated: false,
                  rangeQueries: 0,
                }
              : await closer(() =>
                  bisectPartner(legacy, target, entity, partnerId, watermark, scope && scopeKeysOf(scope, entity)),
                );
          const accounting = inputs.accounting.get(partnerId);
          const problems = scope
            ? scopedProblems(accounting?.problemKeys.get(entity), entity, scope)
            : (accounting?.problems.get(entity) ?? { quarantined: 0, skipped: 0 });
          const checks = scoped([
            archiveCompleteness(entity, partnerId, diff, problems),
            archiveRowsCheck(entity, partnerId, diff),
          ]);
          onChecked?.(checks);
          return checks;
        }),
      );

      const money = await Promise.all(
        (['order', 'invoice'] as const).map(async (entity) => {
          const legacyMoney = (await inputs.legacyDigests.get(entity)!).get(partnerId)?.money ?? [];
          const storedMoney = inputs.archive.digests.get(entity)!.get(partnerId)?.money ?? [];
          const [check] = scoped([archiveMoneyCheck(entity, partnerId, legacyMoney, storedMoney)]);
          onChecked?.([check]);
          return check;
        }),
      );

      return [partnerId, [...keyChecks, ...archive.flat(), ...money, ...mappingChecks]];
    }),
  );
  return new Map(perPartner);
}

/**
 * The open quarantine and skipped rows of an archive entity a scope covers: a parent's by its
 * key. A line's key does not name its parent, so a scope counts none for lines (the transforms
 * never quarantine or skip archive rows; a stray problem row of a line shows in a whole verify).
 */
function scopedProblems(
  keys: { quarantined: string[]; skipped: string[] } | undefined,
  entity: ArchiveEntity,
  scope: PartnerScope,
): { quarantined: number; skipped: number } {
  if (keys === undefined || CANONICAL[entity].parent) return { quarantined: 0, skipped: 0 };
  const inScope = new Set(scopeKeysOf(scope, entity).map(String));
  const count = (some: string[]) => some.filter((key) => inScope.has(key)).length;
  return { quarantined: count(keys.quarantined), skipped: count(keys.skipped) };
}
