import * as shared from '../../../src/extract/keyset-pages';
import type { KeyRange } from '../../../src/core/key-range';

interface Row {
  id: number;
}
interface Line {
  parent: number;
  id: number;
}

const inRange = (key: number, range: KeyRange) =>
  (range.after === undefined || key > range.after) && (range.upTo === undefined || key <= range.upTo);

/** An in-memory table: parents visible at the watermark, and lines of every parent (some parents are beyond it). */
function fakeTable(visible: number[], lines: Line[]) {
  const reads: KeyRange[] = [];
  return {
    reads,
    readPage: async (range: KeyRange, limit: number) =>
      visible
        .filter((id) => inRange(id, range))
        .slice(0, limit)
        .map((id) => ({ id })),
    readLines: async (range: KeyRange) => {
      reads.push(range);
      return lines.filter((line) => inRange(line.parent, range));
    },
  };
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe.each([['shared', shared]])('keyset pages (%s by both engines)', (_name, impl) => {
  const visible = [1, 2, 4, 5, 7, 8, 10];
  // Parent 11 is beyond the watermark, parent 3 too, but their lines are not.
  const lines: Line[] = [1, 3, 3, 4, 8, 10, 11, 11].map((parent, i) => ({ parent, id: i + 1 }));

  it.each([1, 2, 3, 7, 8, 50])('covers every row and line once with batchSize %i', async (batchSize) => {
    const table = fakeTable(visible, lines);
    const pages = await collect(
      impl.keysetPagesWithLines(
        table.readPage,
        (r: Row) => r.id,
        table.readLines,
        (l: Line) => l.parent,
        undefined,
        batchSize,
      ),
    );
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(visible);
    expect(pages.flatMap((p) => p.lines.map((l) => l.id))).toEqual(lines.map((l) => l.id));
    for (const page of pages) expect(page.rows.length).toBeLessThanOrEqual(batchSize);
    expect(pages[pages.length - 1].cursor).toBe(11);
  });

  it("ends the last page's lines at the range end", async () => {
    const table = fakeTable(visible, lines);
    const pages = await collect(
      impl.keysetPagesWithLines(
        table.readPage,
        (r: Row) => r.id,
        table.readLines,
        (l: Line) => l.parent,
        { after: 2, upTo: 9 },
        2,
      ),
    );
    expect(pages.map((p) => p.rows.map((r) => r.id))).toEqual([
      [4, 5],
      [7, 8],
    ]);
    expect(table.reads).toEqual([
      { after: 2, upTo: 5 },
      { after: 5, upTo: 8 },
      { after: 8, upTo: 9 },
    ]);
    expect(pages.flatMap((p) => p.lines.map((l) => l.parent))).toEqual([3, 3, 4, 8]);
  });

  it('yields nothing for an empty range', async () => {
    const table = fakeTable(visible, lines);
    expect(
      await collect(
        impl.keysetPagesWithLines(
          table.readPage,
          (r: Row) => r.id,
          table.readLines,
          (l: Line) => l.parent,
          { after: 20 },
          5,
        ),
      ),
    ).toEqual([]);
    expect(await collect(impl.keysetPages(table.readPage, (r: Row) => r.id, { after: 20 }, 5))).toEqual([]);
  });

  it('pages plain tables with cursors on the last key', async () => {
    const table = fakeTable(visible, []);
    const pages = await collect(impl.keysetPages(table.readPage, (r: Row) => r.id, { upTo: 8 }, 2));
    expect(pages.map((p) => [p.rows.map((r) => r.id), p.cursor])).toEqual([
      [[1, 2], 2],
      [[4, 5], 5],
      [[7, 8], 8],
    ]);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    const table = fakeTable(visible, []);
    await expect(collect(impl.keysetPages(table.readPage, (r: Row) => r.id, undefined, 0))).rejects.toThrow(RangeError);
  });

  it('decides the lines bound from page fullness', () => {
    expect(impl.linesUpTo(5, 5, 40, { upTo: 100 })).toBe(40);
    expect(impl.linesUpTo(3, 5, 40, { upTo: 100 })).toBe(100);
    expect(impl.linesUpTo(3, 5, 40, undefined)).toBeUndefined();
  });
});
