/**
 * Reads one item ahead of the consumer: while a page is being transformed and written, the
 * next one is already being fetched. At most `depth` items wait in memory, so memory stays
 * bounded by the page size, not the table.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const fill = () => {
    while (pending.length < depth + 1) {
      const read = iterator.next();
      // A read that fails while the consumer is busy elsewhere (writing the last page) is not an
      // unhandled rejection that ends the process: it rejects where it is awaited.
      read.catch(() => undefined);
      pending.push(read);
    }
  };
  try {
    fill();
    for (;;) {
      const next = await pending.shift()!;
      if (next.done) return;
      fill();
      yield next.value;
    }
  } finally {
    // Settle reads already started so no rejection is left unhandled, then close the source.
    await Promise.allSettled(pending);
    await iterator.return?.();
  }
}
