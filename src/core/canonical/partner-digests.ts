/** Per-partner digests: what one grouped scan of an entity over many partners gives each partner. */
import type { RangeChecksum } from './checksums';
import { moneyColumns, type MoneySum } from './money';
import type { ArchiveEntity } from './specs';

/**
 * What one grouped scan of an entity gives per partner: its rows' checksum and, for orders and
 * invoices, money per (currency, month).
 */
export interface PartnerDigest {
  checksum: RangeChecksum;
  money: MoneySum[];
}

/** Adds one group (count, key span) into a partner's checksum; the hash sum is added by the caller, as a bigint. */
function addToChecksum(checksum: RangeChecksum, group: Readonly<Record<string, unknown>>): void {
  checksum.count += Number(group.n);
  if (group.min_key !== null && group.min_key !== undefined) {
    const min = Number(group.min_key);
    checksum.minKey = checksum.minKey === null ? min : Math.min(checksum.minKey, min);
  }
  if (group.max_key !== null && group.max_key !== undefined) {
    const max = Number(group.max_key);
    checksum.maxKey = checksum.maxKey === null ? max : Math.max(checksum.maxKey, max);
  }
}

/**
 * Digests per partner from the grouped rows of any database: `pid`, `n`, `total`, `min_key`,
 * `max_key`, and for orders and invoices (grouped by partner, currency and month) `currency`,
 * `month` and the amounts `a1`.. in MONEY's order, as exact text.
 */
export function toPartnerDigests(
  entity: ArchiveEntity,
  rows: ReadonlyArray<Record<string, unknown>>,
): Map<number, PartnerDigest> {
  const result = new Map<number, PartnerDigest>();
  // Hash sums kept as bigints until every group is in: text parsed and written once per group, not the running sum.
  const sums = new Map<PartnerDigest, bigint>();
  const money = moneyColumns(entity);
  for (const row of rows) {
    const partnerId = Number(row.pid);
    let digest = result.get(partnerId);
    if (!digest) {
      digest = { checksum: { count: 0, sum: '0', minKey: null, maxKey: null }, money: [] };
      result.set(partnerId, digest);
      sums.set(digest, 0n);
    }
    addToChecksum(digest.checksum, row);
    sums.set(digest, sums.get(digest)! + BigInt(String(row.total ?? '0')));
    if (money) {
      const amounts: Record<string, string> = {};
      money.amounts.forEach((amount, index) => {
        amounts[amount.name] = String(row[`a${index + 1}`] ?? '0');
      });
      digest.money.push({
        entity: entity as 'order' | 'invoice',
        currency: String(row.currency),
        month: String(row.month),
        count: Number(row.n),
        amounts,
      });
    }
  }
  for (const [digest, sum] of sums) digest.checksum.sum = sum.toString();
  return result;
}
