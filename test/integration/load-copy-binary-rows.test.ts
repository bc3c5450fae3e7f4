import type { Knex } from 'knex';
import { connectTarget } from '../../src/load';
import { forEachCopyRow, type BinaryValue } from '../../src/load/copy/copy-binary-rows';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

let database: TestDatabase;
let db: Knex;

beforeAll(async () => {
  database = await freshPostgres('copy_binary');
  // One connection: each case also shows the connection came back to the pool usable.
  db = connectTarget(database.url, { poolMax: 1 });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const SELECT = `SELECT g AS n, CASE WHEN g % 3 = 0 THEN NULL ELSE repeat('Zürich 𝔘 ', g % 7) || g END AS label
                  FROM generate_series(-2, 60000) g`;

describe('forEachCopyRow', () => {
  it('streams every row of a large select as PostgreSQL returns it, across many chunks', async () => {
    const rows: BinaryValue[][] = [];
    const count = await forEachCopyRow(db, SELECT, ['int4', 'text'], (values) => rows.push([...values]));
    const expected = (await db.raw<{ rows: Array<{ n: number; label: string | null }> }>(SELECT)).rows.map((row) => [
      row.n,
      row.label,
    ]);
    expect(count).toBe(60003);
    expect(rows).toEqual(expected);
    expect(rows[0]).toEqual([-2, '-2']);
    expect(rows[12]).toEqual([10, 'Zürich 𝔘 Zürich 𝔘 Zürich 𝔘 10']);
    expect(rows[2]).toEqual([0, null]);
  });

  it('rejects with the database error, and the connection serves the next statement', async () => {
    await expect(forEachCopyRow(db, 'SELECT 1 / 0', ['int4'], () => undefined)).rejects.toThrow('division by zero');
    expect((await db.raw('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects with the error of a failing row handler once the COPY has ended, and the connection serves the next statement', async () => {
    let seen = 0;
    const failing = forEachCopyRow(db, SELECT, ['int4', 'text'], () => {
      seen += 1;
      if (seen === 10) throw new Error('handler failed at row 10');
    });
    await expect(failing).rejects.toThrow('handler failed at row 10');
    expect(seen).toBe(10);
    expect((await db.raw('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('rejects columns that do not match the select', async () => {
    await expect(forEachCopyRow(db, 'SELECT 1::bigint', ['int4'], () => undefined)).rejects.toThrow(
      'binary COPY column 1 is not a 4-byte integer (8 bytes)',
    );
    expect((await db.raw('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
