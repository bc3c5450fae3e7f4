import { batchingWriter } from '../../../src/core/batching-writer';

/** A write that stays open until released, recording each batch it was given. */
function gatedWrites() {
  const batches: number[][] = [];
  const releases: Array<(error?: Error) => void> = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      releases.push((error) => (error ? reject(error) : resolve()));
    });
  return { batches, releases, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('batchingWriter', () => {
  it('writes what arrives during a write as one next batch, in order, and resolves written() after the last', async () => {
    const { batches, releases, write } = gatedWrites();
    const writer = batchingWriter(write);
    writer.add([1, 2]);
    await tick();
    expect(batches).toEqual([[1, 2]]);
    writer.add([3]);
    writer.add([]);
    writer.add([4, 5]);
    let done = false;
    void writer.written().then(() => (done = true));
    await tick();
    expect(batches).toHaveLength(1); // the first write is still open
    releases[0]();
    await tick();
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(done).toBe(false);
    releases[1]();
    await tick();
    expect(done).toBe(true);
  });

  it('resolves written() at once when nothing was added', async () => {
    await expect(
      batchingWriter<number>(() => Promise.reject(new Error('never called'))).written(),
    ).resolves.toBeUndefined();
  });

  it('rejects written() with the first failed write and writes nothing after it', async () => {
    const { batches, releases, write } = gatedWrites();
    const writer = batchingWriter(write);
    writer.add([1]);
    await tick();
    writer.add([2]);
    releases[0](new Error('disk full'));
    await expect(writer.written()).rejects.toThrow('disk full');
    writer.add([3]);
    await tick();
    expect(batches).toEqual([[1]]);
    await expect(writer.written()).rejects.toThrow('disk full');
  });
});
