import type { ArchiveEntity, MoneySum } from '../core/canonical';
import { decimalTextEquals } from '../core/decimal';
import type { RowDiff } from './bisect';
import { checkResult, type CheckResult, type Discrepancy, type MoneyCell } from './model';

/** Archive fidelity of one entity: counts and row checksums, bisected down to keys and columns. */
export function archiveRowsCheck(entity: ArchiveEntity, partnerId: number, diff: RowDiff): CheckResult {
  const base = { check: 'archive_fidelity' as const, entity, partnerId };
  const discrepancies: Discrepancy[] = [];
  if (diff.legacy.count !== diff.target.count) {
    discrepancies.push({
      ...base,
      legacyKey: null,
      kind: 'count',
      detail: `legacy has ${diff.legacy.count} rows, the archive ${diff.target.count}`,
    });
  }
  for (const key of diff.missing)
    discrepancies.push({
      ...base,
      legacyKey: String(key),
      kind: 'missing',
      detail: 'legacy row missing from the archive',
    });
  for (const key of diff.extra)
    discrepancies.push({ ...base, legacyKey: String(key), kind: 'extra', detail: 'archive row with no legacy row' });
  for (const row of diff.changed) {
    discrepancies.push({
      ...base,
      legacyKey: String(row.key),
      kind: 'changed',
      columns: row.columns,
      detail: `differs in ${row.columns.map((column) => column.column).join(', ')}`,
    });
  }
  if (diff.truncated) {
    discrepancies.push({
      ...base,
      legacyKey: null,
      kind: 'count',
      detail: 'stopped looking after the maximum number of differing keys: more may differ',
    });
  }
  if (discrepancies.length === 0 && diff.legacy.sum !== diff.target.sum) {
    discrepancies.push({
      ...base,
      legacyKey: null,
      kind: 'sum',
      detail: 'row checksums differ but no differing key was found',
    });
  }
  return checkResult(
    {
      ...base,
      expected: `${diff.legacy.count} rows, checksum ${diff.legacy.sum}`,
      actual: `${diff.target.count} rows, checksum ${diff.target.sum}`,
      facts: { legacyRows: diff.legacy.count, targetRows: diff.target.count },
    },
    discrepancies,
  );
}

/** Money per (currency, month): order totals, invoice net, tax and gross, legacy beside archive. */
export function archiveMoneyCheck(
  entity: 'order' | 'invoice',
  partnerId: number,
  legacy: MoneySum[],
  target: MoneySum[],
): CheckResult {
  const cells = new Map<string, MoneyCell>();
  const put = (side: 'legacy' | 'target', sums: MoneySum[]) => {
    for (const sum of sums.filter((s) => s.entity === entity)) {
      for (const [amount, value] of Object.entries(sum.amounts)) {
        const id = `${sum.currency}|${sum.month}|${amount}`;
        const cell = cells.get(id) ?? {
          entity,
          currency: sum.currency,
          month: sum.month,
          amount: amount as MoneyCell['amount'],
          legacy: null,
          target: null,
        };
        cell[side] = value;
        cells.set(id, cell);
      }
    }
  };
  put('legacy', legacy);
  put('target', target);
  const money = [...cells.values()].sort(
    (a, b) =>
      a.currency.localeCompare(b.currency) || a.month.localeCompare(b.month) || a.amount.localeCompare(b.amount),
  );
  const discrepancies: Discrepancy[] = money
    .filter((cell) => !decimalTextEquals(cell.legacy, cell.target))
    .map((cell) => ({
      check: 'archive_fidelity',
      entity,
      partnerId,
      legacyKey: null,
      kind: 'sum',
      columns: [{ column: `${cell.amount} ${cell.currency} ${cell.month}`, legacy: cell.legacy, target: cell.target }],
      detail: `${cell.amount} in ${cell.currency} for ${cell.month}: legacy ${cell.legacy ?? 'none'}, archive ${cell.target ?? 'none'}`,
    }));
  const count = (sums: MoneySum[]) => sums.filter((s) => s.entity === entity).length;
  return checkResult(
    {
      check: 'archive_fidelity',
      entity: `${entity}_money`,
      partnerId,
      expected: `${count(legacy)} currency-months`,
      actual: `${count(target)} currency-months`,
      facts: { money },
    },
    discrepancies,
  );
}
