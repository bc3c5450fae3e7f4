/** The legacy tables the seed writes, in foreign-key order: every table after the ones it references. */
export const SEED_TABLES = [
  'Partners',
  'PartnerUsers',
  'Customers',
  'Orders',
  'OrderLines',
  'Invoices',
  'InvoiceLines',
] as const;

/** One legacy table name, as in the DDL. */
export type SeedTable = (typeof SEED_TABLES)[number];

/** A row as a SQL insert takes it: legacy column names, explicit primary key, no RowVer. */
export type SeedRow = Record<string, unknown>;

/** Most rows one chunk holds (one bulk insert). */
export const MAX_CHUNK_ROWS = 5000;

/** What to generate. Same options, same rows, byte for byte. */
export interface SeedOptions {
  /** Number of partners (positive integer). */
  partners: number;
  /** PRNG seed (any integer). */
  seed: number;
  /** Approximate total rows across all tables; default `partners * 300`. */
  targetRows?: number;
}

/** Rows of one table, at most `MAX_CHUNK_ROWS`, yielded after every row they reference. */
export interface SeedChunk {
  table: SeedTable;
  rows: SeedRow[];
}

/** The expected size of a portal, for progress bars. */
export interface SeedPlan {
  partners: number;
  estimatedRows: number;
  perTable: Record<SeedTable, number>;
}
