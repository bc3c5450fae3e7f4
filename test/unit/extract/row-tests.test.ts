import { LEGACY_TABLES } from '../../../src/core/legacy-model';
import { COLUMNS } from '../../../src/extract/legacy-columns';
import { compileRowTest } from '../../../src/extract/row-converters';

/** A value of each kind that passes, per column kind of legacy-columns.ts. */
const VALID: Record<string, unknown> = {
  int: 42,
  text: 'Contoso ',
  guid: 'A1B2C3D4-0000-0000-0000-000000000001',
  money: '-12.3400',
  decimal: '0.0770',
  local: '2024-03-31 02:30:00.000',
  utc: '2024-03-31T00:30:00.000Z',
  date: '2024-03-31',
  bool: true,
  rowver: '18446744073709551615',
};

/** Values tried in every column: each kind's valid value, their near misses, and other types. */
const PROBES: unknown[] = [
  ...Object.values(VALID),
  null,
  undefined,
  0,
  -0,
  -7,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  1n,
  '',
  ' ',
  '42',
  '-1',
  '1.',
  '.5',
  '1e3',
  '12.3400 ',
  '2024-03-31 02:30:00',
  '2024-03-31 02:30:00.000Z',
  '2024-03-31T00:30:00.000',
  '2024-3-31',
  '2024-03-31\n',
  false,
  {},
  [],
  new Date(0),
];

describe('the plain row tests of extract', () => {
  const tables = Object.values(LEGACY_TABLES);

  it.each(tables.map((spec) => [spec.table, spec]))('cover every column of %s', (_name, spec) => {
    expect(compileRowTest(spec.schema, COLUMNS[spec.table])).toBeDefined();
  });

  it.each(tables.map((spec) => [spec.table, spec]))(
    'give zod’s verdict on %s for every probe in every column, and pass only rows zod gives back unchanged',
    (_name, spec) => {
      const columns = COLUMNS[spec.table];
      const passes = compileRowTest(spec.schema, columns)!;
      const valid = Object.fromEntries(columns.map((column) => [column.name, VALID[column.kind]]));
      expect(passes(valid)).toBe(true);
      let refused = 0;
      for (const column of columns) {
        for (const probe of PROBES) {
          const row = { ...valid, [column.name]: probe };
          const zod = spec.schema.safeParse(row);
          expect({ column: column.name, probe, passes: passes(row) }).toEqual({
            column: column.name,
            probe,
            passes: zod.success,
          });
          if (zod.success) {
            expect(Object.keys(zod.data)).toEqual(Object.keys(row));
            expect(zod.data).toEqual(row);
          } else refused += 1;
        }
      }
      expect(refused).toBeGreaterThan(columns.length * 10);
    },
  );

  it('leave to zod a schema that is not made of the known fields, or whose keys are not the columns', () => {
    const spec = LEGACY_TABLES.order;
    const columns = COLUMNS[spec.table];
    expect(compileRowTest(spec.schema, [...columns].reverse())).toBeUndefined();
    expect(compileRowTest(spec.schema, columns.slice(1))).toBeUndefined();
    const widened = spec.schema.extend({ OrderNumber: spec.schema.shape.OrderNumber.min(1) });
    expect(compileRowTest(widened, columns)).toBeUndefined();
  });
});
