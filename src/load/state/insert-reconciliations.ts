import type { Knex } from 'knex';
import { copyFromText } from '../copy/copy-from-text';
import { encodeCopyLines, type CopyColumns } from '../copy/copy-text';
import { pgConnectionOf } from '../connection/target-connection';
import { withLoadTransaction } from '../connection/with-load-transaction';

/** What a check result must have to be recorded; the whole result rides in `detail`. */
export interface ReconciliationResult {
  check: string;
  entity: string;
  partnerId: number;
  expected: string;
  actual: string;
  passed: boolean;
  facts?: { money?: ReadonlyArray<MoneyFact> };
}

/** A money total of a check: one amount of one entity in one currency and month, legacy beside target. */
export interface MoneyFact {
  entity: string;
  currency: string;
  month: string;
  amount: string;
  legacy: string | null;
  target: string | null;
}

/**
 * A check's money facts as `detail` stores them: one text under `facts.moneyRows` instead of
 * objects under `facts.money`, a fact per `;`-ended row of `|`-separated fields (entity,
 * currency, month, amount, legacy, and target only when it is not the legacy text, as in nearly
 * every fact); `\N` is NULL, and `\`, `|` and `;` in a field are escaped with a `\`. A wave of
 * thousands of small partners has hundreds of thousands of facts: as JSON objects they were
 * most of its results' bytes, and most of the work of writing and reading them back.
 */
export function encodeMoneyRows(facts: ReadonlyArray<MoneyFact>): string {
  let text = '';
  for (const fact of facts) {
    text += `${field(fact.entity)}|${field(fact.currency)}|${field(fact.month)}|${field(fact.amount)}|${field(fact.legacy)}`;
    text += fact.target === fact.legacy ? ';' : `|${field(fact.target)};`;
  }
  return text;
}

const SPECIAL = /[\\|;]/;
const SPECIAL_ALL = /[\\|;]/g;

function field(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => `\\${c}`) : value;
}

/** The money facts of `encodeMoneyRows`' text. */
export function decodeMoneyRows(text: string): MoneyFact[] {
  const facts: MoneyFact[] = [];
  const add = (fields: (string | null)[]) => {
    const [entity, currency, month, amount, legacy] = fields;
    const target = fields.length === 6 ? fields[5] : legacy;
    facts.push({ entity: entity!, currency: currency!, month: month!, amount: amount!, legacy, target });
  };
  if (!text.includes('\\')) {
    // No escape and no NULL: the separators are all there is.
    for (const row of text.split(';')) if (row !== '') add(row.split('|'));
    return facts;
  }
  let fields: (string | null)[] = [];
  let current = '';
  let isNull = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] === 'N') isNull = true;
      else current += text[i + 1];
      i++;
    } else if (c === '|' || c === ';') {
      fields.push(isNull ? null : current);
      current = '';
      isNull = false;
      if (c === ';') {
        add(fields);
        fields = [];
      }
    } else current += c;
  }
  return facts;
}

/**
 * The JSON of a result as `detail` stores it: what its columns do not hold (check, entity,
 * partner, expected, actual and passed are columns), discrepancies only when there are some,
 * money facts as rows. Tens of thousands of results a wave: the columns' values written twice
 * were half of their bytes.
 */
function detailOf(result: ReconciliationResult): string {
  const {
    check: _check,
    entity: _entity,
    partnerId: _partnerId,
    expected: _expected,
    actual: _actual,
    passed: _passed,
    ...rest
  } = result as ReconciliationResult & { discrepancies?: unknown[]; discrepanciesTotal?: number };
  if (rest.discrepancies?.length === 0) delete rest.discrepancies;
  if (rest.discrepanciesTotal === 0) delete rest.discrepanciesTotal;
  const money = result.facts?.money;
  if (money === undefined) return JSON.stringify(rest);
  const { money: _money, ...facts } = result.facts!;
  return JSON.stringify({ ...rest, facts: { ...facts, moneyRows: encodeMoneyRows(money) } });
}

const COLUMNS: CopyColumns = [
  { name: 'run_id', type: 'bigint' },
  { name: 'check', type: 'text' },
  { name: 'entity', type: 'text' },
  { name: 'legacy_partner_id', type: 'int' },
  { name: 'expected', type: 'text' },
  { name: 'actual', type: 'text' },
  { name: 'passed', type: 'boolean' },
  { name: 'detail', type: 'text' },
];

// Names quoted: `check` is a reserved word.
const COPY_SQL = `COPY migration.reconciliations (${COLUMNS.map((column) => `"${column.name}"`).join(', ')}) FROM STDIN`;

/**
 * One `migration.reconciliations` row per check result, in the order given, with the rest of
 * the result (discrepancies, facts; money facts as rows, see encodeMoneyRows) as `detail`. Written with one COPY, however many results: details
 * run to megabytes, and bind parameters stop at 65,535 per statement.
 */
export async function insertReconciliations(
  db: Knex,
  runId: string,
  results: ReadonlyArray<ReconciliationResult>,
): Promise<void> {
  if (results.length === 0) return;
  const lines = encodeCopyLines(
    results.map((result) => ({
      run_id: runId,
      check: result.check,
      entity: result.entity,
      legacy_partner_id: result.partnerId,
      expected: result.expected,
      actual: result.actual,
      passed: result.passed,
      detail: detailOf(result),
    })),
    COLUMNS,
  );
  await withLoadTransaction(db, async (trx) => {
    await copyFromText(await pgConnectionOf(trx), COPY_SQL, lines);
  });
}
