import type { Knex } from 'knex';
import { connectTarget, createRun, insertReconciliations, migrateTarget } from '../../src/load';
import { readReconciliations, readRecordedResults } from '../../src/load';
import { checkResult, type CheckResult } from '../../src/verify';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

let database: TestDatabase;
let db: Knex;

beforeAll(async () => {
  database = await freshPostgres('verify_reconciliations');
  await migrateTarget(database.url);
  db = connectTarget(database.url);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('insertReconciliations', () => {
  it('records any number of results (more than bind parameters allow) and reads them back as written, in order', async () => {
    const run = await createRun(db, { kind: 'verify' });
    // 9,000 results: eight columns each would be 72,000 bind parameters, past PostgreSQL's 65,535.
    const results: CheckResult[] = Array.from({ length: 9000 }, (_, index) =>
      checkResult(
        {
          check: index % 2 === 0 ? 'completeness' : 'archive_fidelity',
          entity: `entity-${index % 7}`,
          partnerId: 9000 - index,
          expected: `${index} rows`,
          actual: `${index} rows`,
          facts:
            index === 1
              ? {
                  money: [
                    {
                      entity: 'invoice',
                      currency: 'CHF',
                      month: '2024-02',
                      amount: 'net',
                      legacy: '12.3400',
                      target: '12.3400',
                    },
                  ],
                }
              : undefined,
        },
        index === 2
          ? [
              {
                check: 'completeness',
                entity: 'order',
                partnerId: 8998,
                legacyKey: 'O\'1\t"ü"',
                kind: 'missing',
                detail: 'a\nb',
              },
            ]
          : [],
      ),
    );
    await insertReconciliations(db, run.id, results);
    const stored = await readReconciliations(db, run.id);
    expect(stored).toEqual(JSON.parse(JSON.stringify(results)));
    const counts = await db('migration.reconciliations')
      .where({ run_id: run.id })
      .select(
        db.raw('count(*)::int AS n'),
        db.raw('count(*) FILTER (WHERE NOT passed)::int AS failed'),
        db.raw('min(legacy_partner_id) AS lo'),
      );
    expect(counts).toEqual([{ n: 9000, failed: 1, lo: 1 }]);
    expect(await readReconciliations(db, run.id, 8998)).toEqual([JSON.parse(JSON.stringify(results[2]))]);
  });

  it('stores in detail only what the columns do not hold, and both readers give back the results, a row stored whole before included', async () => {
    const run = await createRun(db, { kind: 'verify' });
    const passed = checkResult(
      { check: 'completeness', entity: 'user', partnerId: 5, expected: '3 legacy rows', actual: '3 loaded' },
      [],
    );
    const failed = checkResult(
      {
        check: 'archive_fidelity',
        entity: 'order_money',
        partnerId: 5,
        expected: 'x',
        actual: 'y',
        facts: {
          money: [
            { entity: 'order', currency: 'EUR', month: '2024-01', amount: 'total', legacy: '1.0000', target: '2.0000' },
            { entity: 'order', currency: 'EUR', month: '2024-02', amount: 'total', legacy: null, target: '3.5000' },
          ],
        },
      },
      [{ check: 'archive_fidelity', entity: 'order', partnerId: 5, legacyKey: '9', kind: 'changed', detail: 'total' }],
    );
    const pending: CheckResult = {
      ...checkResult({ check: 'completeness', entity: 'order', partnerId: 6, expected: '1', actual: '1' }, []),
      pending: [{ entity: 'order', partnerId: 6, legacyKey: '12' }],
    };
    await insertReconciliations(db, run.id, [passed, failed, pending]);
    const details = await db('migration.reconciliations').where({ run_id: run.id }).orderBy('id').pluck('detail');
    expect(details[0]).toEqual({});
    expect(Object.keys(details[1]).sort()).toEqual(['discrepancies', 'discrepanciesTotal', 'facts']);
    expect(details[2]).toEqual({ pending: pending.pending });
    // A row as it was stored before: the whole result in detail.
    const whole = checkResult(
      { check: 'integrity', entity: 'agreement', partnerId: 7, expected: '2', actual: '2' },
      [],
    );
    await db('migration.reconciliations').insert({
      run_id: run.id,
      check: whole.check,
      entity: whole.entity,
      legacy_partner_id: whole.partnerId,
      expected: whole.expected,
      actual: whole.actual,
      passed: whole.passed,
      detail: JSON.stringify(whole),
    });
    const expected = JSON.parse(JSON.stringify([passed, failed, pending, whole]));
    expect(await readReconciliations(db, run.id)).toEqual(expected);
    expect(await readRecordedResults(db, run.id)).toEqual(expected);
  });

  it('records nothing for no results', async () => {
    const run = await createRun(db, { kind: 'verify' });
    await insertReconciliations(db, run.id, []);
    expect(await readReconciliations(db, run.id)).toEqual([]);
  });
});
