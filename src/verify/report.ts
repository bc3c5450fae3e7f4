import { z } from 'zod';
import { DecimalTotal, parseExactDecimal } from '../core/decimal';
import { CHECKS, type CheckResult } from './model';

const columnDifference = z.object({ column: z.string(), legacy: z.string().nullable(), target: z.string().nullable() });
const discrepancy = z.object({
  check: z.enum(CHECKS),
  entity: z.string(),
  partnerId: z.number().int(),
  legacyKey: z.string().nullable(),
  marketplaceId: z.string().nullable().optional(),
  kind: z.string(),
  columns: z.array(columnDifference).optional(),
  detail: z.string(),
});
const moneyCell = z.object({
  entity: z.enum(['order', 'invoice']),
  currency: z.string(),
  month: z.string(),
  amount: z.string(),
  legacy: z.string().nullable(),
  target: z.string().nullable(),
});
const problemGroup = z.object({
  entity: z.string(),
  reason: z.string(),
  count: z.number().int(),
  examples: z.array(
    z.object({ partnerId: z.number().int().nullable(), legacyKey: z.string(), detail: z.string().nullable() }),
  ),
});

/** The sealed report of one verify (or wave) run: what an auditor reads. */
export const reportSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  runKind: z.string(),
  wave: z.string(),
  watermark: z.string().nullable(),
  generatedAt: z.string(),
  verdict: z.enum(['pass', 'fail']),
  totals: z.object({
    partners: z.number().int(),
    partnersPassed: z.number().int(),
    checks: z.number().int(),
    checksFailed: z.number().int(),
    discrepancies: z.number().int(),
    rows: z.array(z.object({ entity: z.string(), legacy: z.number().int(), target: z.number().int() })),
    money: z.array(z.object({ currency: z.string(), amount: z.string(), legacy: z.string(), target: z.string() })),
  }),
  partners: z.array(z.object({ partnerId: z.number().int(), passed: z.boolean(), failedChecks: z.array(z.string()) })),
  checks: z.array(
    z.object({
      check: z.enum(CHECKS),
      entity: z.string(),
      partnerId: z.number().int(),
      expected: z.string(),
      actual: z.string(),
      passed: z.boolean(),
      discrepanciesTotal: z.number().int(),
    }),
  ),
  discrepancies: z.array(discrepancy),
  /** Discrepancies counted but not listed (per-check cap); a report that stops counting says so. */
  discrepanciesNotListed: z.number().int(),
  /** Legacy rows changed after the watermark checked: pending, for the next sync to take, not missing. */
  pending: z.array(z.object({ entity: z.string(), partnerId: z.number().int(), legacyKey: z.string() })).default([]),
  money: z.array(moneyCell),
  quarantine: z.array(problemGroup),
  skipped: z.array(problemGroup),
  findings: z.array(problemGroup),
  /** The sha256 of the report sealed before this one (null for the first): the hash chain. */
  previousSha256: z.string().nullable(),
});

export type Report = z.infer<typeof reportSchema>;
export type ProblemGroup = z.infer<typeof problemGroup>;

export interface ReportInput {
  runId: string;
  runKind: string;
  wave: string;
  watermark: string | null;
  generatedAt: string;
  partnerIds: number[];
  results: CheckResult[];
  quarantine: ProblemGroup[];
  skipped: ProblemGroup[];
  findings: ProblemGroup[];
  previousSha256: string | null;
}

/**
 * Each distinct text's rank in `localeCompare` order: sorting tens of thousands of results by
 * rank gives the order `localeCompare` gives (ties included), at a fraction of its cost.
 */
function collationRanks(texts: string[]): Map<string, number> {
  const distinct = [...new Set(texts)].sort((a, b) => a.localeCompare(b));
  const ranks = new Map<string, number>();
  distinct.forEach((text, index) => {
    const previous = distinct[index - 1];
    ranks.set(text, index > 0 && previous.localeCompare(text) === 0 ? ranks.get(previous)! : index);
  });
  return ranks;
}

/** Assembles the report body from the check results of every partner of the run. */
export function buildReport(input: ReportInput): Report {
  const checkRank = collationRanks(input.results.map((r) => r.check));
  const entityRank = collationRanks(input.results.map((r) => r.entity));
  const results = [...input.results].sort(
    (a, b) =>
      a.partnerId - b.partnerId ||
      checkRank.get(a.check)! - checkRank.get(b.check)! ||
      entityRank.get(a.entity)! - entityRank.get(b.entity)!,
  );
  const resultsOf = new Map<number, CheckResult[]>();
  for (const result of results) {
    const list = resultsOf.get(result.partnerId);
    if (list) list.push(result);
    else resultsOf.set(result.partnerId, [result]);
  }
  const partners = input.partnerIds.map((partnerId) => {
    const own = resultsOf.get(partnerId) ?? [];
    const failed = own.filter((r) => !r.passed).map((r) => `${r.check}/${r.entity}`);
    const checked = own.length > 0;
    return { partnerId, passed: checked && failed.length === 0, failedChecks: checked ? failed : ['not verified'] };
  });
  const rows = new Map<string, { legacy: number; target: number }>();
  for (const result of results.filter((r) => r.check === 'completeness' && r.facts?.legacyRows !== undefined)) {
    const row = rows.get(result.entity) ?? { legacy: 0, target: 0 };
    row.legacy += result.facts!.legacyRows!;
    row.target += result.facts!.targetRows ?? 0;
    rows.set(result.entity, row);
  }
  type Cell = Report['money'][number];
  type MergedCell = Omit<Cell, 'legacy' | 'target'> & { legacy: DecimalTotal | null; target: DecimalTotal | null };
  // Cells in the order first seen, found by entity, currency, month and amount in nested maps
  // (hundreds of thousands of facts on a wave of thousands of partners: no key text built per fact).
  const cells: MergedCell[] = [];
  const cellIndex = new Map<string, Map<string, Map<string, Map<string, MergedCell>>>>();
  const level = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let next = map.get(key);
    if (next === undefined) {
      next = make();
      map.set(key, next);
    }
    return next;
  };
  const perCurrency = new Map<
    string,
    { currency: string; amount: string; legacy: DecimalTotal; target: DecimalTotal }
  >();
  for (const result of results) {
    for (const cell of result.facts?.money ?? []) {
      const byAmount = level(
        level(
          level(cellIndex, cell.entity, () => new Map()),
          cell.currency,
          () => new Map(),
        ),
        cell.month,
        () => new Map<string, MergedCell>(),
      );
      let merged = byAmount.get(cell.amount);
      if (merged === undefined) {
        merged = {
          entity: cell.entity,
          currency: cell.currency,
          month: cell.month,
          amount: cell.amount,
          legacy: null,
          target: null,
        };
        byAmount.set(cell.amount, merged);
        cells.push(merged);
      }
      // A cell that passed holds the same text on both sides (nearly every cell): parsed once.
      const legacy = cell.legacy === null ? undefined : parseExactDecimal(cell.legacy);
      const target =
        cell.target === null ? undefined : cell.target === cell.legacy ? legacy : parseExactDecimal(cell.target);
      if (legacy !== undefined) merged.legacy = (merged.legacy ?? new DecimalTotal()).addDecimal(legacy);
      if (target !== undefined) merged.target = (merged.target ?? new DecimalTotal()).addDecimal(target);
    }
  }
  // Per currency: the sum of its (entity, month) cells, each already totalled over the partners.
  for (const cell of cells) {
    const label = `${cell.entity === 'order' ? 'orders' : 'invoices'} ${cell.amount}`;
    let total = perCurrency.get(`${cell.currency}|${label}`);
    if (total === undefined) {
      total = { currency: cell.currency, amount: label, legacy: new DecimalTotal(), target: new DecimalTotal() };
      perCurrency.set(`${cell.currency}|${label}`, total);
    }
    if (cell.legacy !== null) total.legacy.addTotal(cell.legacy);
    if (cell.target !== null) total.target.addTotal(cell.target);
  }
  const cellRank = {
    currency: collationRanks(cells.map((cell) => cell.currency)),
    month: collationRanks(cells.map((cell) => cell.month)),
    entity: collationRanks(cells.map((cell) => cell.entity)),
    amount: collationRanks(cells.map((cell) => cell.amount)),
  };
  const text = (total: DecimalTotal | null) => (total === null ? null : total.toString());
  const discrepancies = results.flatMap((r) => r.discrepancies);
  const total = results.reduce((sum, r) => sum + r.discrepanciesTotal, 0);
  const checksFailed = results.filter((r) => !r.passed).length;
  const allPassed = partners.every((p) => p.passed);
  return reportSchema.parse({
    version: 1,
    runId: input.runId,
    runKind: input.runKind,
    wave: input.wave,
    watermark: input.watermark,
    generatedAt: input.generatedAt,
    verdict: allPassed && checksFailed === 0 ? 'pass' : 'fail',
    totals: {
      partners: partners.length,
      partnersPassed: partners.filter((p) => p.passed).length,
      checks: results.length,
      checksFailed,
      discrepancies: total,
      rows: [...rows].map(([entity, counts]) => ({ entity, ...counts })),
      money: [...perCurrency.values()]
        .map((total) => ({ ...total, legacy: total.legacy.toString(), target: total.target.toString() }))
        .sort((a, b) => a.currency.localeCompare(b.currency) || a.amount.localeCompare(b.amount)),
    },
    partners,
    checks: results.map(({ check, entity, partnerId, expected, actual, passed, discrepanciesTotal }) => ({
      check,
      entity,
      partnerId,
      expected,
      actual,
      passed,
      discrepanciesTotal,
    })),
    discrepancies,
    discrepanciesNotListed: total - discrepancies.length,
    pending: [
      ...new Map(
        results.flatMap((r) => r.pending ?? []).map((row) => [`${row.partnerId}|${row.entity}|${row.legacyKey}`, row]),
      ).values(),
    ],
    money: cells
      .map((cell): Cell => ({ ...cell, legacy: text(cell.legacy), target: text(cell.target) }))
      .sort(
        (a, b) =>
          cellRank.currency.get(a.currency)! - cellRank.currency.get(b.currency)! ||
          cellRank.month.get(a.month)! - cellRank.month.get(b.month)! ||
          cellRank.entity.get(a.entity)! - cellRank.entity.get(b.entity)! ||
          cellRank.amount.get(a.amount)! - cellRank.amount.get(b.amount)!,
      ),
    quarantine: input.quarantine,
    skipped: input.skipped,
    findings: input.findings,
    previousSha256: input.previousSha256,
  });
}
