import { MAX_CHUNK_ROWS, SEED_TABLES, type SeedChunk, type SeedRow, type SeedTable } from './seed-types';

/**
 * Buffers rows per table and hands them out as chunks in foreign-key order: when one table's
 * buffer is full, every buffer is released parents first, so no chunk ever precedes a chunk
 * holding the rows it references. Holds at most 7 x MAX_CHUNK_ROWS rows.
 */
export class ChunkSink {
  private readonly buffers = new Map<SeedTable, SeedRow[]>(SEED_TABLES.map((table) => [table, []]));
  private ready: SeedChunk[] = [];

  push(table: SeedTable, row: SeedRow): void {
    const buffer = this.buffers.get(table)!;
    buffer.push(row);
    if (buffer.length >= MAX_CHUNK_ROWS) this.release();
  }

  /** Moves every non-empty buffer, parents first, to the ready chunks. */
  release(): void {
    for (const table of SEED_TABLES) {
      const rows = this.buffers.get(table)!;
      if (rows.length === 0) continue;
      this.ready.push({ table, rows });
      this.buffers.set(table, []);
    }
  }

  /** Yields (and forgets) the chunks released so far. */
  *drain(): Generator<SeedChunk> {
    if (this.ready.length === 0) return;
    const chunks = this.ready;
    this.ready = [];
    yield* chunks;
  }
}
