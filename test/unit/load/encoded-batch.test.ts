import { EncodedBatch } from '../../../src/load/copy/encoded-batch';

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
] as const;
const fail = (index: number): never => {
  throw new Error(`bad row ${index}`);
};

describe('EncodedBatch', () => {
  it('yields chunks of whole lines and keeps the lines for a retry', () => {
    const rows = Array.from({ length: 10 }, (_, id) => ({ id, name: `n${id}` }));
    const batch = new EncodedBatch(rows, columns, fail);
    const chunks = [...batch.chunks(12)];
    expect(chunks.join('')).toBe(rows.map((row) => `${row.id}\tn${row.id}\n`).join(''));
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect(batch.allLines()).toEqual(rows.map((row) => `${row.id}\tn${row.id}\n`));
  });

  it('finishes encoding after a partial pull', () => {
    const batch = new EncodedBatch(
      [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c' },
      ],
      columns,
      fail,
    );
    const iterator = batch.chunks(1);
    iterator.next();
    expect(batch.allLines()).toEqual(['1\ta\n', '2\tb\n', '3\tc\n']);
    expect([...batch.chunks(1 << 16)]).toEqual(['1\ta\n2\tb\n3\tc\n']);
  });

  it('reports the index of a row that cannot be encoded', () => {
    const batch = new EncodedBatch(
      [
        { id: 1, name: 'a' },
        { id: Number.NaN, name: 'b' },
      ],
      columns,
      fail,
    );
    expect(() => [...batch.chunks()]).toThrow('bad row 1');
  });
});
