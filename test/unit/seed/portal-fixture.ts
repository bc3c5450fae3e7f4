import {
  generateLegacyPortal,
  type SeedChunk,
  type SeedOptions,
  type SeedRow,
  type SeedTable,
} from '../../../src/seed';

/** A generated portal held in memory (small portals only), table by table, with its chunks. */
export interface Portal {
  chunks: SeedChunk[];
  rows: Record<SeedTable, SeedRow[]>;
}

const cache = new Map<string, Portal>();

/** Generates (once per test file) and collects a portal. */
export function collectPortal(options: SeedOptions): Portal {
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const portal: Portal = {
    chunks: [],
    rows: { Partners: [], PartnerUsers: [], Customers: [], Orders: [], OrderLines: [], Invoices: [], InvoiceLines: [] },
  };
  for (const chunk of generateLegacyPortal(options)) {
    portal.chunks.push(chunk);
    for (const row of chunk.rows) portal.rows[chunk.table].push(row);
  }
  cache.set(key, portal);
  return portal;
}

/** Total rows of a portal. */
export function totalRows(portal: Portal): number {
  return Object.values(portal.rows).reduce((sum, rows) => sum + rows.length, 0);
}

/** MAPPING.md's enum normalisation: case-insensitive, spaces, '-' and '_' removed, known spellings mapped. */
export function normaliseEnum(raw: unknown): string {
  const key = String(raw)
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  return ({ complete: 'completed', canceled: 'cancelled' } as Record<string, string>)[key] ?? key;
}

/** MAPPING.md's e-mail rule. */
export function isValidEmail(raw: unknown): boolean {
  return typeof raw === 'string' && /^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$/.test(raw.trim().toLowerCase());
}

export const SELLER_COUNTRIES = new Set(
  'AT AU BE BR CA CH DE DK ES FI FR GB IE IN IT JP MX NL NO PL PT SE SG US ZA'.split(' '),
);
