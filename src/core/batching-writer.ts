/**
 * Writes items as they are added, one write at a time: whatever is added while a write runs goes
 * into the next one, so items arriving a few at a time still leave in few large writes.
 * `written()` resolves once everything added so far is written, or rejects with the first
 * write's error (after which nothing more is written).
 */
export function batchingWriter<T>(write: (items: T[]) => Promise<void>): {
  add(items: ReadonlyArray<T>): void;
  written(): Promise<void>;
} {
  let queued: T[] = [];
  let last = Promise.resolve();
  return {
    add(items) {
      if (items.length === 0) return;
      const first = queued.length === 0;
      for (const item of items) queued.push(item);
      if (!first) return; // a write is already queued for what is waiting
      last = last.then(() => {
        const batch = queued;
        queued = [];
        return write(batch);
      });
      last.catch(() => undefined); // reported by written()
    },
    written: () => last,
  };
}
